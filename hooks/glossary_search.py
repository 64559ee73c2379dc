"""MkDocs hook: each glossary term is its own search result, with its own anchor.

Search divides a page at its headings, and the glossary is one table under one heading, so
any term found the whole glossary as one result with a wall of text as its preview. Here
every row of the table gets an id (the term's slug: `glossary/#perplexity`), the table is
left out of the page's own entry, and each term is added to the index as an entry of its
own: the term as its title, its Chinese and meaning as its text, segmented by jieba as
the search plugin segments everything else, and boosted (TERM_BOOST).
"""

from __future__ import annotations

import html as entities
import re

from markdown.extensions.toc import slugify
from mkdocs.plugins import event_priority

GLOSSARY = "glossary.md"
ROW = re.compile(r"<tr>\s*<td>(?P<term>.*?)</td>\s*<td>(?P<chinese>.*?)</td>\s*"
                 r"<td>(?P<meaning>.*?)</td>", re.S)
TAG = re.compile(r"<[^>]+>")
# A reader who searches a term most likely wants its definition: the term's entry scores
# twice what its words alone would give it, which puts the glossary first for "LoRA" or
# "困惑度" and leaves a chapter first where the chapter says far more (tested).
TERM_BOOST = 2

terms: list[dict[str, str]] = []  # the glossary page's rows, from its last rendering


def plain(cell: str) -> str:
    return entities.unescape(TAG.sub("", cell)).strip()


def on_page_content(html, page, config, files):
    if page.file.src_uri != GLOSSARY:
        return html
    terms.clear()

    def anchored(row: re.Match) -> str:
        term = plain(row["term"])
        anchor = slugify(term, "-")
        terms.append({"anchor": anchor, "term": term, "chinese": plain(row["chinese"]),
                      "meaning": plain(row["meaning"])})
        return f'<tr id="{anchor}">' + row[0].removeprefix("<tr>")

    html = ROW.sub(anchored, html)
    # The id fixes the table's columns (extra.css), so they do not widen as rows arrive. (An
    # id, not a class: Material styles, and wraps to scroll sideways, only tables without a
    # class; a class left it unstyled and, on a phone, wider than the screen.)
    return html.replace("<table>", '<table id="glossary-table" data-search-exclude>', 1)


@event_priority(-50)  # after the search plugin has indexed the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri != GLOSSARY:
        return context
    index = config.plugins["material/search"].search_index
    segment = index._segment_chinese  # the plugin's own jieba segmentation
    for term in terms:
        chinese = "" if term["chinese"] in {"—", ""} else term["chinese"] + ". "
        index.entries.append({
            "location": f"{page.url}#{term['anchor']}",
            "title": segment(term["term"]),
            "text": segment(chinese + term["meaning"]),
            "boost": TERM_BOOST,
        })
    return context
