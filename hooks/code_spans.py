"""MkDocs hook: fewer elements in highlighted code, drawn the same.

Pygments wraps every name (`n`) and every run of whitespace (`w`) in a span of its own.
The theme draws names in the code's own colour and gives whitespace no style, so those
spans change nothing a reader sees, yet they are a quarter of a chapter page's elements,
and every element costs the browser style and layout work when the page loads (a phone
feels it most). This unwraps them; every other token keeps its colour.
"""

from __future__ import annotations

import re

PLAIN_TOKEN = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')


def on_page_content(html, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return html  # notebook pages are drawn with Jupyter's own code colours
    return PLAIN_TOKEN.sub(r"\1", html)
