"""Fences in pages are collected as readers see them: includes expanded, admonitions entered."""

from pathlib import Path

from pytest_markdown_docs.plugin import FenceSyntax, extract_fence_tests

from harness.markdown_docs import markdown_it_with_includes

ROOT = Path(__file__).resolve().parents[1]
PAGE = '''# A page

```python
--8<-- "ch01/temperature.py:softmax"
```

```{.python title="Try it"}
--8<-- "ch01/temperature.py:softmax"

print(softmax_with_temperature)
```

!!! example
    ```python
    print("inside an admonition")
    ```
'''


def collected(page: str):
    parser = markdown_it_with_includes(ROOT / "mkdocs.yml")
    return list(
        extract_fence_tests(
            parser, page, 0, Path("page.md"), fence_syntax=FenceSyntax.superfences
        )
    )


def test_fences_are_collected_with_includes_expanded():
    tests = collected(PAGE)
    # the include-only fence is covered by running the snippet file itself
    assert len(tests) == 2
    try_it, admonition = (test.source for test in tests)
    assert "def softmax_with_temperature" in try_it and "--8<--" not in try_it
    assert "[start:" not in try_it, "section markers must be stripped, as on the site"
    assert 'print("inside an admonition")' in admonition
