"""MkDocs hook: a broken `--8<--` include fails the build naming the page, line and fix.

pymdownx.snippets (with `check_paths: true`) already refuses a missing file or section, but
its message names neither the page nor the line. This hook runs the same preprocessor,
configured from mkdocs.yml, over each page before MkDocs renders it, and on failure points
at the exact include line.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from pymdownx.snippets import SnippetExtension, SnippetMissingError

INCLUDE_MARKER = "8<-"
# A one-line include: --8<-- "path" or --8<-- "path:section"
INCLUDE_LINE = re.compile(
    r'^\s*-+8<-+\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"\s*$', re.M
)


def snippet_options(markdown_extensions: list) -> dict:
    """The `pymdownx.snippets` options as written in mkdocs.yml's markdown_extensions."""
    for entry in markdown_extensions:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            return dict(entry["pymdownx.snippets"] or {})
        if entry == "pymdownx.snippets":
            return {}
    raise LookupError("mkdocs.yml does not enable pymdownx.snippets")


def expand_includes(text: str, options: dict) -> str:
    """Expand every `--8<--` include in `text` exactly as the site build does."""
    preprocessor = markdown.Markdown(extensions=[SnippetExtension(**options)]).preprocessors[
        "snippet"
    ]
    return "\n".join(preprocessor.run(text.split("\n")))


def find_broken_include(text: str, options: dict) -> tuple[int, str] | None:
    """The first include line of `text` that cannot be expanded, as (line number, error)."""
    try:
        expand_includes(text, options)
        return None
    except SnippetMissingError as whole_page_error:
        for number, line in enumerate(text.split("\n"), start=1):
            if INCLUDE_MARKER not in line:
                continue
            try:
                expand_includes(line.strip(), options)
            except SnippetMissingError as error:
                return number, str(error)
        return 1, str(whole_page_error)


def on_page_markdown(markdown_text, page, config, files):
    source = Path(page.file.abs_src_path)
    options = config["mdx_configs"].get("pymdownx.snippets", {})
    broken = find_broken_include(source.read_text(encoding="utf-8"), options)
    if broken:
        line, error = broken
        bases = ", ".join(options.get("base_path", ["."]))
        raise PluginError(
            f"{Path(config['docs_dir']).name}/{page.file.src_path}:{line}: {error}. "
            f"Include paths are relative to {bases}/: create the file, add the "
            "'# --8<-- [start:NAME]' / '# --8<-- [end:NAME]' markers for a section, "
            "or fix the path on that line."
        )
    return markdown_text


def on_files(files, config):
    """Publish every snippet file beside the pages, so a page can link to a whole file."""
    root = Path(config["config_file_path"]).parent
    for base in config["mdx_configs"].get("pymdownx.snippets", {}).get("base_path", []):
        for path in sorted((root / base).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".out"}:
                src_uri = path.relative_to(root).as_posix()  # e.g. snippets/ch01/x.py
                files.append(File(src_uri, str(root), config["site_dir"], False))
    return files
