"""Numbered pages for the Campus UI's long lists (Message Center, Staff Search): counts that agree with the
rows shown, first/previous/next/last and page-number links (the `pager` macro in macros.html renders them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Pager:
    """Page `page` (1-based) of `total` items, `per_page` a page; `url(n)` links page n.

    A page past the last shows the last page (a bookmark kept after rows went away still lands somewhere).
    """

    total: int
    page: int
    per_page: int
    url: Callable[[int], str]

    @classmethod
    def of(cls, total: int, page: int, per_page: int, url: Callable[[int], str]) -> Pager:
        pages = max(1, -(-total // per_page))
        return cls(total=total, page=min(max(page, 1), pages), per_page=per_page, url=url)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first_item(self) -> int:
        """1-based number of the first row shown (0 when there is none)."""
        return self.offset + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        return min(self.offset + self.per_page, self.total)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers to link: the first, the last and `around` either side of this one; None is a gap."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown = sorted(n for n in wanted if 1 <= n <= self.pages)
        out: list[int | None] = []
        previous = 0
        for n in shown:
            if previous and n - previous > 1:
                out.append(None)
            out.append(n)
            previous = n
        return out
