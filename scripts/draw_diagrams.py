"""Draw the book's mermaid diagrams as SVG files, light and dark: `python3 dev.py diagrams`.

Each ```` ```mermaid ```` fence of the pages in docs/ is drawn, where its drawings are
missing (new or edited), by the vendored mermaid (scripts/vendor/mermaid/) in the system's
headless Chromium, the one the browser tests drive, into docs/assets/diagrams/mermaid/ as
<page>-<hash>-light.svg and -dark.svg (hooks/diagrams.py names them and shows them on the
page). Drawings no fence uses any longer are deleted. A fence that mermaid cannot draw is
named with its page and line, and mermaid's message; nothing is written for it.

    python3 dev.py diagrams            draw what is missing, delete what is unused
    python3 dev.py diagrams --check    only say what is missing or unused (exit status 1)

Each drawing is an SVG image with its own width and height (so the page keeps its place
before it loads), `role="img"` and a description as its `aria-label` and `<title>` (the
page's alt text): the fence's `accTitle:`/`accDescr:` if it gives them, else its arrows in
words (a → b → c).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT / "hooks"))  # last: hooks/math.py is no stand-in for math
sys.path.insert(0, str(ROOT / "tests"))

from diagrams import DRAWINGS, SETTINGS, VARIANTS, Fence, drawing_name, fences  # noqa: E402

DOCS = ROOT / "docs"
MERMAID = Path(__file__).resolve().parent / "vendor" / "mermaid" / "mermaid.min.js"
DRAWING_FILE = re.compile(r"-[0-9a-f]{12}-(?:" + "|".join(VARIANTS) + r")\.svg$")

# Draws one fence in one theme; returns the SVG as XML (an <img> needs well-formed XML:
# mermaid's own markup has HTML's <br>), or throws mermaid's error.
DRAW_JS = r"""
async ([id, source, theme, font]) => {
  mermaid.initialize({
    startOnLoad: false, theme, securityLevel: "strict", fontFamily: font,
    themeVariables: { fontFamily: font }, flowchart: { useMaxWidth: false },
  });
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
  const { svg } = await mermaid.render(id, source);
  const holder = document.createElement("div");
  holder.innerHTML = svg;
  document.body.append(holder);
  const drawing = holder.querySelector("svg");

  // A label in words: a bold first line ends with a comma, other lines run on.
  const words = (html) => {
    const element = document.createElement("div");
    element.innerHTML = String(html).replace(/<\/b>\s*<br\s*\/?>/gi, "</b>, ")
      .replace(/<br\s*\/?>/gi, " ");
    return element.textContent.replace(/\s+/g, " ").replace(/([,:;]) ?, /g, "$1 ").trim();
  };
  const db = diagram.db;
  const title = words(db.getAccTitle?.() || "");
  const given = words(db.getAccDescription?.() || "");
  let description = [title, given].filter(Boolean).join(": ");
  if (!given && db.getEdges && db.getVertices) {
    // The arrows as chains (a → b → c), each arrow once, in the order of the source.
    const vertices = db.getVertices();
    const label = (id) => words((vertices.get?.(id) ?? vertices[id])?.text ?? id);
    const chains = [];
    for (const edge of db.getEdges()) {
      const step = `${label(edge.end)}` + (edge.text ? ` (arrow: ${words(edge.text)})` : "");
      const chain = chains.at(-1);
      if (chain && chain.last === edge.start) chain.text += ` → ${step}`;
      else chains.push({ text: `${label(edge.start)} → ${step}` });
      chains.at(-1).last = edge.end;
    }
    const kind = diagram.type.startsWith("flowchart") ? "Flowchart" : "Diagram";
    description = `${title || kind}: ${chains.map((chain) => chain.text).join("; ")}.`;
  } else if (!description) {
    description = "Diagram: " + words([...drawing.querySelectorAll(".nodeLabel, text")]
      .map((label) => label.textContent).join("; "));
  }

  // Its own size, for the page to keep its place; the description for screen readers.
  const box = drawing.viewBox.baseVal;
  drawing.setAttribute("width", Math.ceil(box.width));
  drawing.setAttribute("height", Math.ceil(box.height));
  drawing.style.removeProperty("max-width");
  if (!drawing.getAttribute("style")) drawing.removeAttribute("style");
  drawing.setAttribute("role", "img");
  drawing.setAttribute("aria-label", description);
  drawing.removeAttribute("aria-labelledby");
  drawing.removeAttribute("aria-describedby");
  drawing.querySelectorAll(":scope > title, :scope > desc").forEach((node) => node.remove());
  const titleElement = document.createElementNS("http://www.w3.org/2000/svg", "title");
  titleElement.textContent = description;
  drawing.prepend(titleElement);
  // A label measured in this browser's font may be a little wider in a reader's: let it
  // show past its box rather than be cut off.
  drawing.querySelector("style").append("foreignObject{overflow:visible}");
  const xml = new XMLSerializer().serializeToString(drawing);
  holder.remove();
  return xml + "\n";
}
"""


def all_fences(docs: Path = DOCS) -> list[Fence]:
    return [fence for page in sorted(docs.rglob("*.md")) for fence in fences(page)]


def wanted_drawings(docs: Path = DOCS) -> dict[str, Fence]:
    """{drawing's path under docs/: the fence it shows}, for every fence of the pages."""
    return {
        drawing_name(fence.page.stem, fence.source, variant): fence
        for fence in all_fences(docs)
        for variant in VARIANTS
    }


def unused_drawings(docs: Path = DOCS) -> list[Path]:
    wanted = wanted_drawings(docs)
    folder = docs / DRAWINGS
    return [
        path for path in sorted(folder.glob("*.svg"))
        if DRAWING_FILE.search(path.name) and path.relative_to(docs).as_posix() not in wanted
    ]


def where(fence: Fence, docs: Path, message: str = "") -> str:
    """The fence's page and line; with mermaid's message ("Parse error on line 2"), the
    line it names."""
    within = re.search(r"\bon line (\d+)", message)
    line = fence.line + int(within[1]) if within else fence.line
    return f"{docs.name}/{fence.page.relative_to(docs).as_posix()}:{line}"


class Drawer:
    """Mermaid, loaded once in a page of a headless Chromium."""

    def __init__(self, browser):
        vendored = (MERMAID.parent / "VERSION").read_text(encoding="utf-8").split()[-1]
        if vendored != SETTINGS["mermaid"]:
            raise RuntimeError(
                f"{MERMAID.parent} holds mermaid {vendored}, hooks/diagrams.py names "
                f"{SETTINGS['mermaid']}: set the one in hooks/diagrams.py"
            )
        self.page = browser.new_page()
        self.page.set_content("<!doctype html><html><head></head><body></body></html>")
        self.page.add_script_tag(path=str(MERMAID))

    def draw(self, source: str, theme: str, name: str) -> str:
        return self.page.evaluate(
            DRAW_JS, [f"diagram-{name}", source, theme, SETTINGS["font"]]
        )

    def close(self):
        self.page.close()


def mermaid_message(error: Exception) -> str:
    """Mermaid's own words from a failed draw, without Playwright's wrapping."""
    text = str(error).split("\n    at ")[0]
    return re.sub(r"^.*?Error: ", "", text, count=1, flags=re.S).strip()


def draw_missing(docs: Path = DOCS, browser=None) -> tuple[list[str], list[str]]:
    """Draw every missing drawing, in `browser` (a Playwright Chromium) or in one launched
    here. Returns (drawings written, fences mermaid cannot draw)."""
    missing = {
        name: fence for name, fence in wanted_drawings(docs).items()
        if not (docs / name).is_file()
    }
    if not missing:
        return [], []
    if browser is None:
        from playwright.sync_api import sync_playwright

        from harness.browser import launch_chromium

        with sync_playwright() as playwright:
            launched = launch_chromium(playwright)
            try:
                return draw_missing(docs, launched)
            finally:
                launched.close()
    written, failed = [], {}
    drawer = Drawer(browser)
    try:
        for name, fence in missing.items():
            if fence in failed:
                continue
            variant = name.removesuffix(".svg").rsplit("-", 1)[1]
            try:
                svg = drawer.draw(fence.source, SETTINGS["themes"][variant], Path(name).stem)
            except Exception as error:  # mermaid's syntax error, through Playwright
                message = mermaid_message(error)
                failed[fence] = (
                    f"{where(fence, docs, message)}: mermaid cannot draw this diagram: {message}"
                )
                continue
            (docs / name).parent.mkdir(parents=True, exist_ok=True)
            (docs / name).write_text(svg, encoding="utf-8")
            written.append(name)
    finally:
        drawer.close()
    return written, list(failed.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; draw nothing")
    args = parser.parse_args(argv)
    unused = unused_drawings()
    if args.check:
        missing = sorted(
            {where(fence, DOCS) for name, fence in wanted_drawings().items()
             if not (DOCS / name).is_file()}
        )
        for line in missing:
            print(f"{line}: no drawing of this diagram: run python3 dev.py diagrams")
        for path in unused:
            print(f"{path.relative_to(ROOT)}: no diagram uses it: run python3 dev.py diagrams")
        if not missing and not unused:
            print("every diagram is drawn")
        return 1 if missing or unused else 0
    for path in unused:
        path.unlink()
        print(f"deleted {path.relative_to(ROOT)} (no diagram uses it)")
    try:
        written, failed = draw_missing()
    except FileNotFoundError as error:  # no Chromium
        print(f"{error}: it draws the diagrams", file=sys.stderr)
        return 1
    for name in written:
        print(f"drew docs/{name}")
    for message in failed:
        print(message, file=sys.stderr)
    if not written and not failed and not unused:
        print("every diagram is drawn")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
