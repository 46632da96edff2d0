"""docs/screenshots/ holds a picture of every page the browser tests photograph, and nothing else.

The browser tests (tests/ui/test_browser.py) write their screenshots to a temporary folder and check
each one as it is written; `make screenshots` runs them with $BOI_MOCK_SCREENSHOTS=docs/screenshots to
refresh the documentation's pictures. These checks read files only (no browser, any order, under
xdist too), so they run in every `make test` and `make check`: a new `shot()` without its picture in
docs/, a picture no test takes any more, or one the README shows that is missing, fails here.
"""

from __future__ import annotations

import ast
import re

from tests.support import ROOT

SHOTS = ROOT / "docs" / "screenshots"
BROWSER_TESTS = ROOT / "tests" / "ui" / "test_browser.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHOWN = re.compile(r"screenshots/([\w-]+)\.png")


def shot_names() -> set[str]:
    """The names tests/ui/test_browser.py passes to `shot(page, "name")`."""
    names = set()
    for node in ast.walk(ast.parse(BROWSER_TESTS.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "shot":
            name = node.args[1]
            assert isinstance(name, ast.Constant) and isinstance(name.value, str), ast.unparse(node)
            names.add(name.value)
    return names


def test_docs_hold_a_picture_of_every_page_the_browser_tests_photograph_and_nothing_stale() -> None:
    names = shot_names()
    assert {"home", "credentials", "validation-report", "support-case", "staff"} <= names
    pictures = {path.stem for path in SHOTS.glob("*.png")}
    assert sorted(names - pictures) == [], "run `make screenshots` to add them to docs/screenshots/"
    assert sorted(pictures - names) == [], "no browser test takes these any more: remove them"


def test_every_picture_in_docs_is_a_png() -> None:
    for path in sorted(SHOTS.glob("*.png")):
        with path.open("rb") as png:
            assert png.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE, path.name
        assert path.stat().st_size > 1000, f"{path.name} is nearly empty"


def test_every_picture_the_readme_and_docs_show_exists() -> None:
    shown: set[tuple[str, str]] = set()
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        shown |= {(doc.name, name) for name in SHOWN.findall(doc.read_text(encoding="utf-8"))}
    assert ("README.md", "staff") in shown
    assert [(doc, name) for doc, name in sorted(shown) if not (SHOTS / f"{name}.png").exists()] == []

