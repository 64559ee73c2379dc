// Diagrams: each ```mermaid fence arrives as `<pre class="diagram">` (its source) and is
// drawn by the site's own mermaid, loaded (3.5 MB) only when a diagram comes within a
// screen of the viewport: a page without diagrams, or a reader who never scrolls to one,
// never pays for it. (The class is not `mermaid` on purpose: Material's bundle would fetch
// mermaid from a CDN on finding `pre.mermaid`.) Diagrams are redrawn in the dark theme
// when the reader switches colour scheme. A diagram mermaid cannot draw keeps its source,
// is marked `data-diagram="failed"` and logs a console error that names it.
let diagramObserver;
let diagramCount = 0;
let diagramQueue = Promise.resolve();

function diagramTheme() {
  return document.body.dataset.mdColorScheme === "slate" ? "dark" : "default";
}

function drawDiagram(element, source) {
  diagramQueue = diagramQueue.then(async () => {
    try {
      await loadSiteAsset("vendor/mermaid/mermaid.min.js");
      mermaid.initialize({ startOnLoad: false, theme: diagramTheme(), suppressErrorRendering: true });
      const { svg } = await mermaid.render(`diagram-${++diagramCount}`, source);
      const drawn = Object.assign(document.createElement("div"), { className: "diagram", innerHTML: svg });
      drawn.dataset.source = source;
      element.replaceWith(drawn);
    } catch (error) {
      element.dataset.diagram = "failed";
      console.error(`mermaid cannot draw this diagram: ${error.message}\n${source}`);
    }
  });
  return diagramQueue;
}

document$.subscribe(() => {
  diagramObserver?.disconnect();
  diagramObserver = new IntersectionObserver((entries) => {
    for (const entry of entries.filter((entry) => entry.isIntersecting)) {
      diagramObserver.unobserve(entry.target);
      drawDiagram(entry.target, entry.target.textContent);
    }
  }, { rootMargin: "100% 0px" });
  document.querySelectorAll("pre.diagram").forEach((pre) => diagramObserver.observe(pre));
});

new MutationObserver(() => {
  document.querySelectorAll("div.diagram").forEach((div) => drawDiagram(div, div.dataset.source));
}).observe(document.body, { attributeFilter: ["data-md-color-scheme"] });
