// Load one of the site's own scripts or stylesheets once, on demand, so that a page pays
// only for what it uses: KaTeX's stylesheet on pages with math, its script on notebook pages.
// Paths are relative to the site's assets/ folder, wherever the site is hosted; an asset
// the page already links to (KaTeX's stylesheet on a page with math) is not loaded again.
const SITE_ASSETS = new URL("..", document.currentScript.src);
const siteAssetsLoaded = new Map();

function linkedAlready(url) {
  return [...document.querySelectorAll("link[rel=stylesheet], script[src]")]
    .some((element) => (element.href || element.src) === url);
}

function loadSiteAsset(path) {
  if (!siteAssetsLoaded.has(path)) {
    const url = new URL(path, SITE_ASSETS).href;
    if (linkedAlready(url)) {
      siteAssetsLoaded.set(path, Promise.resolve());
    } else {
      const element = path.endsWith(".css")
        ? Object.assign(document.createElement("link"), { rel: "stylesheet", href: url })
        : Object.assign(document.createElement("script"), { src: url, async: false });
      siteAssetsLoaded.set(path, new Promise((resolve, reject) => {
        element.onload = resolve;
        element.onerror = () => reject(new Error(`could not load ${url}`));
      }));
      document.head.append(element);
    }
  }
  return siteAssetsLoaded.get(path);
}
