// Math. Chapter pages arrive with their formulas already rendered (hooks/math.py) and need
// only KaTeX's stylesheet, which the page links to; after an instant navigation (Material
// swaps the content without a reload; document$ emits each new page) this loads it.
// Notebook pages hold math as `$...$` in their Markdown cells: on those pages this loads
// KaTeX's script and renders it. A formula KaTeX cannot render, an unknown command
// included, stays as source and logs a console error that names it. Each notebook cell is
// marked data-math="drawn" or "failed" once KaTeX has been through it.
const NOTEBOOK_MATH = ".md-content .jp-MarkdownOutput";
const MATH_DELIMITERS = /\$|\\\(|\\\[/;

document$.subscribe(async () => {
  const cells = [...document.querySelectorAll(NOTEBOOK_MATH)]
    .filter((cell) => MATH_DELIMITERS.test(cell.textContent));
  if (document.querySelector(".md-content .katex") || cells.length) {
    await loadSiteAsset("vendor/katex/katex.min.css");
  }
  if (!cells.length) return;
  await loadSiteAsset("vendor/katex/katex.min.js");
  await loadSiteAsset("vendor/katex/auto-render.min.js");
  for (const cell of cells) {
    renderMathInElement(cell, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: true,
      errorCallback: (message, error) => {
        cell.dataset.math = "failed";
        console.error(`${message}${error.message}`);
      },
    });
    cell.dataset.math ||= "drawn";
  }
});
