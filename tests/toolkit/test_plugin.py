import pytest
pytest_plugins = ["pytester"]

def test_x(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_a(): pass")
    r = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    r.assert_outcomes(passed=1)
