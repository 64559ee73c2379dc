"""A chapter page made into a notebook: its prose as Markdown cells, its code as code cells.

The page is the one source of truth. Walking it top to bottom:
- a Python fence becomes a code cell (includes expanded, exactly as on the site), and the
  "Output" fence after it becomes that cell's output: the committed output the tests keep true;
- a fence marked `notest`, or in another language (mermaid, bash, text), stays in the prose;
- an admonition becomes a quotation, or, when it holds code (an exercise's solution), a bold
  title followed by its content, code cells included;
- a figure is attached to its Markdown cell with the page's alt text, and links to other pages
  point at the published site.
Where the page shows a file only in sections, the parts it leaves out (imports, helpers) are
added as cells of their own, and a first cell writes beside the notebook the files that its
programs import (an exercise imports the example it varies), so the notebook runs top to
bottom in a fresh kernel wherever it is downloaded to.
"""

from __future__ import annotations

import ast
import base64
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from includes import INCLUDE_LINE, expand_includes

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})\s*(?P<info>.*)$")
ADMONITION = re.compile(
    r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$'
)
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)(?:\{[^}]*\})?")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
HEADING_ATTRIBUTES = re.compile(r"^(#+ .*?)\s*\{[^}]*\}\s*$")
NOTEBOOK_LINK_LINE = re.compile(r"^.*\]\(notebooks/[^)]+\.ipynb\).*$")
SECTION_MARKER = re.compile(r"--8<--\s*\[(?P<edge>start|end):(?P<name>[\w-]+)\]")
# `sys.path.insert(0, ...__file__...)`: how a snippet finds the book's package beside its
# folder. A notebook has no __file__; its first cell writes the package beside it instead.
PACKAGE_PATH_LINE = re.compile(r"^\s*sys\.path\.insert\(0, .*__file__.*\).*$")
FILE_GUARD = re.compile(r"^\s*if .*__file__.*:\s*(#.*)?$")  # `if "__file__" in globals():`
SETUP_TAG = "book-setup"
TEXT_SUFFIXES = {".py", ".json", ".txt", ".md"}
MAIN_GUARD = re.compile(r"""^if __name__ == ["']__main__["']:\s*$""")


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    lines: list[str] = field(default_factory=list)
    output: str | None = None
    attachments: dict = field(default_factory=dict)
    shows: list[tuple[str, str | None]] = field(default_factory=list)  # (file, section)
    setup: bool = False  # writes the imported files (or says so): left out of the site


@dataclass
class Page:
    """What a notebook needs to know about the page it is made from."""

    docs_dir: Path
    site_url: str
    snippet_options: dict


class NotebookWriter:
    def __init__(self, page: Page, page_url: str):
        self.page = page
        self.page_url = page_url  # the chapter page's path on the site, e.g. "01-x/"
        self.cells: list[Cell] = []

    # --- prose -----------------------------------------------------------------------

    def prose(self, line: str) -> None:
        if not self.cells or self.cells[-1].kind != "markdown":
            self.cells.append(Cell("markdown"))
        cell = self.cells[-1]
        cell.lines.append(self.rewrite_prose(line, cell))

    def rewrite_prose(self, line: str, cell: Cell) -> str:
        line = HEADING_ATTRIBUTES.sub(r"\1", line)

        def attach(match: re.Match) -> str:
            path = self.page.docs_dir / match["src"]
            name = path.name
            mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
            cell.attachments[name] = {mime: base64.b64encode(path.read_bytes()).decode()}
            return f"![{match['alt']}](attachment:{name})"

        def absolute(match: re.Match) -> str:
            target = match["target"]
            if re.match(r"^[a-z]+:", target):
                return match[0]
            path, _, anchor = target.partition("#")
            if not path:  # a section of this page: its heading on the site
                path = self.page_url
            elif path.endswith(".md"):
                path = "" if path == "index.md" else path.removesuffix(".md") + "/"
            url = self.page.site_url + path + (f"#{anchor}" if anchor else "")
            return f"[{match['text']}]({url})"

        return LINK.sub(absolute, IMAGE.sub(attach, line))

    def ends_with_code(self) -> bool:
        """True if nothing but blank prose follows the last code cell."""
        for cell in reversed(self.cells):
            if cell.kind == "code":
                return True
            if any(line.strip() for line in cell.lines):
                return False
        return False

    # --- code --------------------------------------------------------------------------

    def fence(self, info: str, body: list[str], raw: list[str]) -> None:
        language, options, title = parse_fence_info(info)
        text = "\n".join(body)
        if language == "python" and "notest" not in options:
            self.code(text, title)
        elif language == "text" and (title or "").lower() == "output" and self.ends_with_code():
            while self.cells[-1].kind == "markdown":  # blank prose between code and output
                self.cells.pop()
            self.cells[-1].output = self.expand(text)
        else:
            expanded = self.expand(text).split("\n")
            ticks = FENCE.match(raw[0])["ticks"]
            for line in [f"{ticks}{language or ''}", *expanded, ticks]:
                self.prose(line)

    def code(self, text: str, title: str | None) -> None:
        shows = [(m["path"], m["section"]) for m in INCLUDE_LINE.finditer(text)]
        expanded = self.expand(text).split("\n")
        source = "\n".join(without_package_path(expanded))
        source = source.strip("\n")
        if title:
            source = f"# {title}\n{source}"
        self.cells.append(Cell("code", source.split("\n"), shows=shows))

    def expand(self, text: str) -> str:
        expanded = expand_includes(text, self.page.snippet_options)
        return "\n".join(line for line in expanded.split("\n") if not SECTION_MARKER.search(line))

    # --- the parts of a file the page leaves out ----------------------------------------

    def add_missing_parts(self) -> None:
        shown: dict[str, set[str | None]] = {}
        for cell in self.cells:
            for path, section in cell.shows:
                shown.setdefault(path, set()).add(section)
        for path, sections in shown.items():
            if None in sections or not path.endswith(".py"):
                continue  # shown whole
            head, rest = missing_parts(self.snippet_path(path).read_text(), sections)
            cells_showing = [c for c in self.cells if any(p == path for p, _ in c.shows)]
            if head:
                self.insert_before(cells_showing[0], path, "its beginning", head)
            if rest:
                main = [c for c in cells_showing if (path, "main") in c.shows]
                anchor = main[0] if main else None
                where = "the rest of it"
                if anchor:
                    self.insert_before(anchor, path, where, rest)
                else:
                    last = cells_showing[-1]
                    self.insert_after(last, path, where, rest)
                    # What the page shows after the file's last part is what its main prints:
                    # the cell that runs the main (the rest) is the one that prints it.
                    added = self.cells[self.cells.index(last) + 1]
                    added.output, last.output = last.output, None

    def snippet_path(self, path: str) -> Path:
        for base in self.page.snippet_options.get("base_path", []):
            if (Path(base) / path).exists():
                return Path(base) / path
        raise FileNotFoundError(path)

    def missing_cell(self, path: str, which: str, lines: list[str]) -> Cell:
        comment = f"# snippets/{path}: {which}, which the chapter does not show"
        return Cell("code", [comment, *without_package_path(lines)])

    def insert_before(self, anchor: Cell, path: str, which: str, lines: list[str]) -> None:
        self.cells.insert(self.cells.index(anchor), self.missing_cell(path, which, lines))

    def insert_after(self, anchor: Cell, path: str, which: str, lines: list[str]) -> None:
        self.cells.insert(self.cells.index(anchor) + 1, self.missing_cell(path, which, lines))

    # --- the files the programs import ------------------------------------------------

    def files_to_write(self) -> dict[str, Path]:
        """{name beside the notebook: file} for each module of the book that a cell imports:
        a snippet of the same folder, or the shared package with its data."""
        folders = {
            self.snippet_path(path).parent for cell in self.cells for path, _ in cell.shows
        }
        roots = {folder.parent for folder in folders}
        wanted = set().union(
            *(imported_modules("\n".join(c.lines)) for c in self.cells if c.kind == "code")
        )
        files: dict[str, Path] = {}
        for name in sorted(wanted):
            for folder in sorted(folders):
                if (folder / f"{name}.py").is_file():
                    files[f"{name}.py"] = folder / f"{name}.py"
            for root in sorted(roots):
                package = root / name
                if (package / "__init__.py").is_file():
                    for path in sorted(package.rglob("*")):
                        if path.is_file() and "__pycache__" not in path.parts:
                            files[path.relative_to(root).as_posix()] = path
        return files

    def add_setup_cell(self) -> None:
        files = self.files_to_write()
        if not files:
            return
        texts = {name: path.read_text() for name, path in files.items() if is_text(path)}
        binaries = {
            name: base64.b64encode(path.read_bytes()).decode()
            for name, path in files.items()
            if not is_text(path)
        }
        source = [
            "# Setup: write the files this chapter's programs import beside the notebook.",
            "import base64",
            "from pathlib import Path",
            "",
            f"TEXTS = {texts!r}",
            f"BINARIES = {binaries!r}",
            "for name, text in TEXTS.items():",
            "    Path(name).parent.mkdir(parents=True, exist_ok=True)",
            "    Path(name).write_text(text)",
            "for name, data in BINARIES.items():",
            "    Path(name).parent.mkdir(parents=True, exist_ok=True)",
            "    Path(name).write_bytes(base64.b64decode(data))",
        ]
        note = Cell(
            "markdown",
            [
                "The next cell writes beside this notebook the files its programs import: "
                + ", ".join(f"`{name}`" for name in files)
                + ". Run it first."
            ],
            setup=True,
        )
        setup = Cell("code", source, setup=True)
        first_code = next(i for i, cell in enumerate(self.cells) if cell.kind == "code")
        self.cells[first_code:first_code] = [note, setup]

    # --- the notebook ------------------------------------------------------------------

    def notebook(self) -> nbformat.NotebookNode:
        cells = []
        for cell in self.cells:
            source = "\n".join(cell.lines).strip("\n")
            if not source.strip():
                continue
            if cell.kind == "markdown":
                made = nbformat.v4.new_markdown_cell(source)
                if cell.attachments:
                    made.attachments = cell.attachments
            else:
                outputs = []
                if cell.output is not None:
                    outputs = [nbformat.v4.new_output("stream", name="stdout", text=cell.output)]
                made = nbformat.v4.new_code_cell(source, outputs=outputs)
                if cell.setup:
                    made.metadata["jupyter"] = {"source_hidden": True}
            if cell.setup:
                made.metadata["tags"] = [SETUP_TAG]
            made.id = f"cell-{len(cells)}"  # not nbformat's random ids: same page, same file
            cells.append(made)
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        notebook.metadata["language_info"] = {"name": "python"}
        return notebook


def parse_fence_info(info: str) -> tuple[str | None, set[str], str | None]:
    """(language, bare options, title) of a fence's info string, in either syntax:
    `python title="x.py"` or `{.python notest title="x.py"}`."""
    info = info.strip().removeprefix("{").removesuffix("}")
    title = re.search(r'title="([^"]*)"', info)
    words = re.sub(r'\w+="[^"]*"', "", info).split()
    language = words[0].lstrip(".") if words else None
    return language, {word.lstrip(".") for word in words[1:]}, title and title[1]


def missing_parts(source: str, shown: set[str | None]) -> tuple[list[str], list[str]]:
    """The lines of a snippet file outside its shown sections: (before the first section
    marker, everything else), without the markers and the `if __name__` guard."""
    head: list[str] = []
    rest: list[str] = []
    current = head
    inside: str | None = None
    under_guard = False
    for line in source.split("\n"):
        marker = SECTION_MARKER.search(line)
        if marker:
            current = rest
            inside = marker["name"] if marker["edge"] == "start" else None
            continue
        if inside in shown:
            continue
        if MAIN_GUARD.match(line):
            under_guard = True
            continue
        current.append(line[4:] if under_guard and line.startswith("    ") else line)
    return trim(head), trim(rest)


def imported_modules(source: str) -> set[str]:
    """The top-level names of the modules `source` imports."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
    return names


def is_text(path: Path) -> bool:
    return path.suffix in TEXT_SUFFIXES


def trim(lines: list[str]) -> list[str]:
    text = "\n".join(lines).strip("\n")
    return text.split("\n") if text.strip() else []


def dedent(lines: list[str], width: int) -> list[str]:
    return [line[width:] if line[:width].strip() == "" else line.lstrip() for line in lines]


def block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after an indented block that begins at `start` (blank lines included,
    except trailing ones)."""
    end = start
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break
        if line.strip():
            end = index + 1
    return end


def walk(lines: list[str], writer: NotebookWriter) -> None:
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        admonition = ADMONITION.match(line)
        if fence:
            indent, ticks = len(fence["indent"]), fence["ticks"]
            end = next(
                (
                    i
                    for i in range(index + 1, len(lines))
                    if lines[i].strip() == ticks
                    and len(lines[i]) - len(lines[i].lstrip()) <= indent
                ),
                len(lines),
            )
            body = dedent(lines[index + 1 : end], indent)
            writer.fence(fence["info"], body, lines[index : end + 1])
            index = end + 1
        elif admonition:
            width = len(admonition["indent"]) + 4
            end = block_end(lines, index + 1, width)
            content = dedent(lines[index + 1 : end], width)
            title = admonition["title"] or admonition["kind"].capitalize()
            if any(FENCE.match(line) for line in content):
                writer.prose(f"**{title}**")
                writer.prose("")
                walk(content, writer)
            else:
                writer.prose(f"> **{title}**")
                writer.prose(">")
                for content_line in content:
                    writer.prose(f"> {content_line}".rstrip())
            index = end
        else:
            writer.prose(line)
            index += 1


def chapter_notebook(page_markdown: str, page: Page, page_url: str) -> nbformat.NotebookNode:
    """The notebook of a chapter page (`page_url`: the page's address on the site)."""
    writer = NotebookWriter(page, page_url)
    lines = page_markdown.split("\n")
    title_index = next(i for i, line in enumerate(lines) if line.startswith("# "))
    preface = [
        lines[title_index],
        "",
        f"This notebook is a chapter of *Introduction to Generative AI, runnable* "
        f"([read it on the site]({page.site_url}{page_url})), made from the chapter's page: "
        "its text, its code in the page's order, and the output each program printed when "
        "the book was built. Run the cells from the top.",
    ]
    body = [line for line in lines[title_index + 1 :] if not NOTEBOOK_LINK_LINE.match(line)]
    walk(preface + body, writer)
    writer.add_missing_parts()
    writer.add_setup_cell()
    return writer.notebook()


def without_package_path(lines: list[str]) -> list[str]:
    """The lines less the package-path line, and less its `__file__` guard if it has one."""
    kept: list[str] = []
    for line in lines:
        if PACKAGE_PATH_LINE.match(line):
            if kept and FILE_GUARD.match(kept[-1]):
                kept.pop()
            continue
        kept.append(line)
    return kept
