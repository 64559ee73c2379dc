"""The whole seed is on the site: every numbered section of the notes has its heading, and a
chapter that is still only a translation says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# The course notes: shared/seed/ beside the checkout, or beside a folder above it (a git
# worktree kept inside the project's folder).
SEED = next(
    (
        text
        for folder in ROOT.parents
        for text in sorted((folder / "shared" / "seed").glob("*.txt"))
    ),
    None,
)
SEED_SECTION = re.compile(r"^(?P<chapter>\d+)\.(?P<section>\d+)\.", re.M)
SEED_CHAPTER = re.compile(r"^(?P<chapter>\d+)\.\D", re.M)
AWAITING = '!!! warning "Awaiting expansion"'


def chapter_page(number: int) -> Path:
    pages = sorted(DOCS.glob(f"{number:02d}-*.md"))
    assert len(pages) == 1, f"expected exactly one docs/{number:02d}-*.md, found {pages}"
    return pages[0]


def seed_text() -> str:
    if SEED is None:
        pytest.skip("the course notes (shared/seed/) are not beside this checkout or above it")
    return SEED.read_text(encoding="utf-8")


def test_every_seed_chapter_has_a_page():
    for match in SEED_CHAPTER.finditer(seed_text()):
        number = int(match["chapter"])
        page = chapter_page(number).read_text(encoding="utf-8")
        assert re.search(rf"^# {number}\. \S", page, re.M), (
            f"{chapter_page(number).relative_to(ROOT)} must open with '# {number}. <title>'"
        )


def test_every_seed_section_has_its_heading():
    missing = []
    for match in SEED_SECTION.finditer(seed_text()):
        chapter, section = int(match["chapter"]), int(match["section"])
        page = chapter_page(chapter)
        if not re.search(rf"^## {chapter}\.{section} \S", page.read_text(encoding="utf-8"), re.M):
            missing.append(f"{page.relative_to(ROOT)}: '## {chapter}.{section} ...'")
    assert not missing, "Seed sections without their heading:\n" + "\n".join(missing)


def test_a_chapter_without_examples_says_it_awaits_expansion():
    for page in sorted(DOCS.glob("[0-9][0-9]-*.md")):
        text = page.read_text(encoding="utf-8")
        has_examples = "--8<--" in text
        assert has_examples or AWAITING in text, (
            f"{page.relative_to(ROOT)} has no examples yet, so it must carry the "
            f"'{AWAITING}' admonition"
        )
