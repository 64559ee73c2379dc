"""MkDocs hook: a number in the prose that reports an example's result is tied to the
output it quotes, so that an edit or `python3 dev.py update` cannot leave a page saying
what the code no longer prints.

Write the number as the output prints it, or rounded to fewer decimals, and put right
after it (a unit such as % may come between) a marker naming the output file under
snippets/ and its line:

    the judge's verdict falls from 0.60<!--ch04/rlhf.out:3--> to almost zero

The build checks that the line holds that number and removes the marker; it fails, naming
the page and line, when it does not. The same works in alt text and tables. In a chapter
(a page whose name starts with its number), a decimal or a percentage in prose must be
tied, or stand in a paragraph that cites a source (a link to references.md or to arXiv),
or be marked as not a measured result: `a threshold of 0.5<!--not measured-->`.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "snippets"

TIE = re.compile(r"<!--\s*(?P<output>[\w./-]+\.out):(?P<line>\d+)\s*-->")
NOT_MEASURED = re.compile(r"<!--\s*not measured\s*-->")
# The number a marker ties: right before it, with an optional unit (%, ×, " s", " ms").
UNIT = r"\s?(?:%|×|[a-zA-Z]{1,3})"
TIED_NUMBER = re.compile(rf"(?P<number>[-−]?\d[\d,]*(?:\.\d+)?)(?:{UNIT})?$")
MARKED = re.compile(rf"(?:{UNIT})?<!--")  # a number's marker, after its unit if any
# A printed number: "0.601", "-0.05", "25840" or, with thousands separators, "24,576".
OUTPUT_NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
# A decimal or a percentage in prose; not part of a name or version (GPT-3.5), nor a
# section number ("section 4.4").
RESULT_LIKE = re.compile(
    r"(?<![\w.\-−/#])(?<!section )(?<!Section )(?<!chapter )(?<!§)"
    r"(?:\d[\d,]*\.\d+(?!\w)|\d[\d,]*(?:\.\d+)?\s?%)"
)
CITED = re.compile(r"references\.md#|arxiv", re.I)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)", re.S)
CODE_SPAN = re.compile(r"`[^`\n]+`")
FENCE = re.compile(r"^\s*(```|~~~)")


def value(number: str) -> float:
    return float(number.replace(",", "").replace("−", "-"))


def decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


def quotes(prose_number: str, output_line: str) -> bool:
    """Whether an output line prints `prose_number`, exactly or to more decimals."""
    wanted, places = value(prose_number), decimals(prose_number)
    return any(
        decimals(found) >= places and abs(round(value(found), places) - wanted) < 1e-9
        for found in OUTPUT_NUMBER.findall(output_line)
    )


def tie_errors(page: str, text: str, snippets: Path = SNIPPETS) -> list[str]:
    """Every marker of the page whose output line does not print its number."""
    errors = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        for tie in TIE.finditer(line):
            where = f"{page}:{number}"
            before = TIE.sub("", line[: tie.start()]).rstrip()
            quoted = TIED_NUMBER.search(before)
            output = snippets / tie["output"]
            if not quoted:
                errors.append(
                    f"{where}: the marker <!--{tie['output']}:{tie['line']}--> follows no "
                    "number; put it right after the number it ties."
                )
            elif not output.is_file():
                errors.append(
                    f"{where}: {quoted['number']} is tied to snippets/{tie['output']}, "
                    "which does not exist; name an output file under snippets/."
                )
            else:
                printed = output.read_text(encoding="utf-8").split("\n")
                at = int(tie["line"])
                said = printed[at - 1] if 0 < at <= len(printed) else "<no such line>"
                if not quotes(quoted["number"], said):
                    errors.append(
                        f"{where}: the page says {quoted['number']}, but "
                        f"snippets/{tie['output']}:{at} reads {said.strip()!r}. Make the "
                        "prose say what the example prints now (and check that its claim "
                        "still holds), or point the marker at the line that prints it."
                    )
    return errors


def prose_blocks(text: str):
    """The page's paragraphs outside code, as lists of (line number, line)."""
    block, fenced = [], False
    for number, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or "--8<--" in line or line.lstrip().startswith("#"):
            continue
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def untied_errors(page: str, text: str) -> list[str]:
    """Decimals and percentages in a chapter's prose that are neither tied, nor in a
    paragraph that cites a source, nor marked as not measured."""
    errors = []
    for block in prose_blocks(MATH.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)):
        if CITED.search(" ".join(line for _, line in block)):
            continue
        for number, line in block:
            line = CODE_SPAN.sub(lambda m: " " * len(m[0]), line)
            for found in RESULT_LIKE.finditer(line):
                after = line[found.end() :]
                if MARKED.match(after):
                    continue  # tied, or marked as not measured (checked elsewhere)
                errors.append(
                    f"{page}:{number}: {found[0].strip()} reads like a measured result but "
                    "is tied to no output. Put <!--chNN/name.out:LINE--> right after it, "
                    "cite its source, or mark it <!--not measured-->."
                )
    return errors


def is_chapter(src_path: str) -> bool:
    return bool(re.match(r"\d", Path(src_path).name))


def without_markers(markdown: str) -> str:
    return NOT_MEASURED.sub("", TIE.sub("", markdown))


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_path
    if not src.endswith(".md"):
        return markdown
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    name = f"{Path(config['docs_dir']).name}/{src}"
    errors = tie_errors(name, source)
    if is_chapter(src):
        errors += untied_errors(name, source)
    if errors:
        raise PluginError("\n".join(errors))
    return without_markers(markdown)
