"""The Markdown parser pytest-markdown-docs uses to find the Python fences in pages.

It expands `--8<--` includes with pymdownx's own preprocessor, configured from mkdocs.yml,
so a fence is tested exactly as the reader sees it. A fence made only of includes shows
snippet files that tests/test_snippets.py already runs whole; it is marked `notest` here
so it is not run a second time. Fences inside admonitions are found too.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from includes import INCLUDE_MARKER, expand_includes, snippet_options
from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mkdocs.utils.yaml import get_yaml_loader


@functools.cache  # pytest-markdown-docs asks for a parser once per file it collects
def load_snippet_options(mkdocs_yml: Path) -> dict:
    with mkdocs_yml.open(encoding="utf-8") as config_file:
        config = yaml.load(config_file, Loader=get_yaml_loader())
    options = snippet_options(config["markdown_extensions"])
    base_paths = options.get("base_path", ["."])
    base_paths = [base_paths] if isinstance(base_paths, str) else base_paths
    options["base_path"] = [str(mkdocs_yml.parent / base) for base in base_paths]
    return options


def only_includes(code: str) -> bool:
    lines = [line for line in code.splitlines() if line.strip()]
    return bool(lines) and all(INCLUDE_MARKER in line for line in lines)


def mark_notest(info: str) -> str:
    if info.strip().startswith("{"):
        return info.strip().removesuffix("}") + " notest}"
    return f"{{.{info.strip()} notest}}"


def markdown_it_with_includes(mkdocs_yml: Path) -> MarkdownIt:
    options = load_snippet_options(mkdocs_yml)

    def expand_fence_includes(state) -> None:
        for token in state.tokens:
            if token.type != "fence" or INCLUDE_MARKER not in token.content:
                continue
            if only_includes(token.content):
                token.info = mark_notest(token.info)
            token.content = expand_includes(token.content, options) + "\n"

    parser = MarkdownIt("commonmark").use(admon_plugin)
    parser.core.ruler.push("expand_snippet_includes", expand_fence_includes)
    return parser
