"""hooks/skippable_blocks.py: where a page's blocks may start to be skipped, and where its
last two sections start. In the browser, test_browser checks that no page moves as it starts."""

from __future__ import annotations

import math
import re

from skippable_blocks import SCREENS, TopLevelBlocks, on_page_content

PARAGRAPH = "<p>" + "word " * 100 + "</p>\n"  # 500 characters


def marked(html: str) -> dict[str, int]:
    """Each mark the hook added, with the index of the top-level block that carries it."""
    blocks = TopLevelBlocks(html).blocks
    return {
        name: index
        for index, block in enumerate(blocks)
        for name in re.findall(r"below-\w+-screen|end-sections", block.classes)
    }


def page(paragraphs: int) -> str:
    return on_page_content(
        "<h1>Title</h1>\n" + PARAGRAPH * paragraphs + "<h2>Last</h2>\n" + PARAGRAPH,
        page=None, config=None, files=None,
    )


def test_a_short_page_is_drawn_whole_but_for_its_last_section_mark():
    assert marked(page(2)) == {"end-sections": 3}


def test_skipping_starts_lower_on_a_wider_screen():
    marks = marked(page(40))
    assert 1 < marks["below-phone-screen"] < marks["below-wide-screen"] < marks["end-sections"]


def test_heights_are_estimated_low_so_the_first_screen_is_never_skipped():
    """Every block above a mark fits in that screen's first screen even at the real text
    sizes (16 px type, 25.6 px lines; ~45 characters a line on a phone, ~100 wider)."""
    marks = marked(page(40))
    for screen, characters_per_line, height in (
        ("below-phone-screen", 45, 932),  # the tallest phones
        ("below-wide-screen", 100, 1440),
    ):
        lines = (marks[screen] - 1) * math.ceil(500 / characters_per_line)
        assert lines * 25.6 >= height, f"{screen}: skipping may start inside the first screen"
    assert {screen.name for screen in SCREENS} == {"below-phone-screen", "below-wide-screen"}


def test_formulas_hidden_mathml_copies_do_not_count_as_text():
    formula = '<span class="katex"><math>' + "<mi>x</mi>" * 2000 + "</math>x</span>"
    blocks = TopLevelBlocks(f"<p>{formula}</p>").blocks
    assert blocks[0].text == 1


def test_a_mark_joins_the_classes_a_block_has():
    html = on_page_content(
        '<h1>T</h1>\n<h2 id="a" class="x">A</h2>\n<p>b</p>\n', page=None, config=None, files=None
    )
    assert '<h2 id="a" class="x end-sections">' in html


def test_the_last_two_sections_are_drawn():
    """A chapter ends with its summary and its short exercises: drawing starts at the summary."""
    html = on_page_content(
        "<h1>T</h1>\n<h2>Body</h2>\n<p>b</p>\n<h2>Summary</h2>\n<ul><li>s</li></ul>\n"
        "<h2>Exercises</h2>\n<p>e</p>\n",
        page=None, config=None, files=None,
    )
    assert '<h2 class="end-sections">Summary</h2>' in html


def test_a_diagram_counts_as_its_drawings_height_at_the_narrowest_column():
    """hooks/diagrams.py gives a diagram's drawings their sizes: a wide one is scaled down
    to the column, so on a phone a 980 x 150 flowchart is far lower than drawn."""
    drawing = (
        '<div class="diagram"><img class="diagram-light" width="{w}" height="{h}">'
        '<img class="diagram-dark" width="{w}" height="{h}"></div>'
    )
    wide, tall = (TopLevelBlocks(drawing.format(w=w, h=h)).blocks[0] for w, h in
                  ((980, 150), (200, 900)))
    for screen in SCREENS:
        assert abs(wide.height(screen) - 150 * screen.column / 980) < 1e-9
        assert tall.height(screen) == 900
