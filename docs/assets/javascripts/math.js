// Math: the site's KaTeX draws the formulas of a page that has any, on first load and
// after each instant navigation (Material swaps the content without a reload; document$
// emits each new page). Pages without math never load KaTeX.
// Chapters hold math as `<span class="arithmatex">\(...\)</span>` (pymdownx.arithmatex);
// notebook pages as `$...$` in their Markdown cells. A formula KaTeX cannot draw, an
// unknown command included, stays as source and logs a console error that names it.
// Each element is marked data-math="drawn" or "failed" once KaTeX has been through it.
const MATH_ELEMENTS = ".md-content .arithmatex, .md-content .jp-MarkdownOutput";
const MATH_DELIMITERS = /\$|\\\(|\\\[/;

document$.subscribe(async () => {
  const elements = [...document.querySelectorAll(MATH_ELEMENTS)]
    .filter((element) => MATH_DELIMITERS.test(element.textContent));
  if (!elements.length) return;
  await Promise.all([
    loadSiteAsset("vendor/katex/katex.min.css"),
    loadSiteAsset("vendor/katex/katex.min.js").then(() =>
      loadSiteAsset("vendor/katex/auto-render.min.js")),
  ]);
  for (const element of elements) {
    renderMathInElement(element, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: true,
      errorCallback: (message, error) => {
        element.dataset.math = "failed";
        console.error(`${message}${error.message}`);
      },
    });
    element.dataset.math ||= "drawn";
  }
});
