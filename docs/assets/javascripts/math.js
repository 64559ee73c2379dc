// Math. Every page arrives with its formulas already rendered (hooks/math.py: chapter pages
// and the notebooks' Markdown cells alike) and needs only KaTeX's stylesheet, which the page
// links to; after an instant navigation (Material swaps the content without a reload;
// document$ emits each new page) this loads it.
document$.subscribe(async () => {
  if (document.querySelector(".md-content .katex")) {
    await loadSiteAsset("vendor/katex/katex.min.css");
  }
});
