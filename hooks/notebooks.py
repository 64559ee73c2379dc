"""MkDocs hook: a chapter's notebook is made from the snippet files its page includes.

A nav entry `notebooks/<chapter>.ipynb` asks for the notebook of page `<chapter>.md`. The
hook collects the snippet files that page includes (in the order the page first uses them),
writes a notebook with one code cell per file to `.cache/notebooks/`, and hands it to
mkdocs-jupyter, which executes it during the build. There is no second copy of the code:
change a snippet and the notebook follows.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from includes import INCLUDE_LINE, expand_includes
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

NOTEBOOK_DIR = "notebooks"
TITLE = re.compile(r"^#\s+(?P<title>.+)$", re.M)
# nbconvert's page template loads MathJax (an empty src when no URL is set) and, for
# notebooks with mermaid cells, mermaid from a CDN. The site renders math with its own
# KaTeX and has no mermaid in notebooks, so both loaders are removed from notebook pages.
NBCONVERT_LOADERS = re.compile(
    r'<script src="[^"]*">\s*</script>\s*<!-- MathJax configuration -->\s*'
    r'<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid\.esm\.min\.mjs.*?</script>',
    re.S,
)


def nav_paths(nav) -> list[str]:
    """Every page path named in a (nested) MkDocs nav."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [path for item in nav for path in nav_paths(item)]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in nav_paths(value)]
    return []


def included_python_files(page_markdown: str) -> list[str]:
    """Snippet paths of the .py files a page includes, first use first, each once."""
    paths = [
        match["path"]
        for match in INCLUDE_LINE.finditer(page_markdown)
        if match["path"].endswith(".py")
    ]
    return list(dict.fromkeys(paths))


def chapter_notebook(page_markdown: str, snippet_options: dict) -> nbformat.NotebookNode:
    title = TITLE.search(page_markdown)["title"]
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title} — the code\n\n"
            "Every code cell is one file from the book's `snippets/` folder, in the order "
            "the chapter explains them, and every output below was produced by running "
            "the cell when the site was built. Read the chapter for the explanation."
        )
    ]
    for path in included_python_files(page_markdown):
        cells.append(nbformat.v4.new_markdown_cell(f"## `snippets/{path}`"))
        cells.append(nbformat.v4.new_code_cell(expand_includes(f'--8<-- "{path}"', snippet_options)))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"  # not nbformat's random ids: same snippets, same file
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


def write_if_changed(path: Path, text: str) -> None:
    """Leave an unchanged file alone, so `mkdocs serve` does not rebuild in a loop."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files, config):
    docs_dir = Path(config["docs_dir"])
    cache_dir = Path(config["config_file_path"]).parent / ".cache" / "notebooks"
    options = config["mdx_configs"].get("pymdownx.snippets", {})
    for path in nav_paths(config["nav"]):
        if not (path.startswith(f"{NOTEBOOK_DIR}/") and path.endswith(".ipynb")):
            continue
        chapter_page = docs_dir / (Path(path).stem + ".md")
        notebook = chapter_notebook(chapter_page.read_text(encoding="utf-8"), options)
        write_if_changed(cache_dir / path, nbformat.writes(notebook))
        files.append(
            File(path, str(cache_dir), config["site_dir"], config["use_directory_urls"])
        )
    return files


def on_post_page(output, page, config):
    if page.file.src_uri.startswith(f"{NOTEBOOK_DIR}/"):
        return NBCONVERT_LOADERS.sub("", output)
    return output
