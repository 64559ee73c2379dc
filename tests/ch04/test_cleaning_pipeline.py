"""Chapter 4: each cleaning stage removes its planted defects, and nothing good."""

from collections import Counter

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/cleaning_pipeline.py").namespace


def test_every_defect_is_removed_and_every_good_page_kept(run):
    crawl, pages = run["crawl"], run["pages"]
    assert Counter(p["kind"] for p in pages) == {"good": sum(p["kind"] == "good" for p in crawl)}
    assert run["boilerplate"] == 0


def test_each_stage_removes_only_its_own_kind(snippet):
    cleaning = snippet("ch04/cleaning_pipeline.py")
    expected = {
        "content filtering": {"blocked site"},
        "text extraction": set(),
        "quality filtering": {"low quality"},
        "deduplication": {"exact duplicate", "near duplicate"},
        "test-set removal": {"leaked test item"},
    }
    pages = cleaning.make_crawl()
    for name, stage in cleaning.STAGES:
        before = Counter(p["kind"] for p in pages)
        pages = stage(pages)
        removed = before - Counter(p["kind"] for p in pages)
        assert set(removed) == expected[name], name
        for kind in expected[name]:
            if kind not in {"exact duplicate", "near duplicate"}:
                assert removed[kind] == before[kind], (name, kind)


def test_extraction_keeps_the_article_text(snippet):
    cleaning = snippet("ch04/cleaning_pipeline.py")
    text = "The baker painted the harbour wall at noon and wrote about it."
    page = {"url": "https://news.example/0", "kind": "good",
            "html": cleaning.page("news.example", "A title", text)}
    assert cleaning.extract_text([page])[0]["text"] == text


def test_jaccard_and_shingles(snippet):
    cleaning = snippet("ch04/cleaning_pipeline.py")
    a = cleaning.shingles("one two three four five six", n=5)
    assert a == {("one", "two", "three", "four", "five"), ("two", "three", "four", "five", "six")}
    assert cleaning.jaccard(a, a) == 1.0
    assert cleaning.jaccard(a, cleaning.shingles("one two three four five seven", n=5)) == 1 / 3
