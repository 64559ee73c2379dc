// A link to a heading (a table-of-contents entry, an address ending in "#...") scrolls to
// it while the blocks around it may not be drawn yet: extra.css lets the browser skip blocks
// far from the screen, at a guessed height. Near a page's end that left the heading far down
// the screen: the page, too short to scroll the heading up, grew as the blocks above were
// drawn. So for a second after the jump (and after the page has loaded: until then the
// browser keeps scrolling to the address's heading itself), each time the article changes
// size the heading is scrolled to again, unless the reader has started to scroll.
const FOLLOW_MS = 1000;
const READER_INPUT = ["wheel", "touchstart", "pointerdown", "keydown"];

const pageLoaded = new Promise((resolve) => {
  if (document.readyState === "complete") resolve();
  else addEventListener("load", resolve, { once: true });
});

function keepInView(heading) {
  const follow = new ResizeObserver(() => heading.scrollIntoView());
  const stop = () => {
    follow.disconnect();
    for (const type of READER_INPUT) removeEventListener(type, stop);
  };
  for (const type of READER_INPUT) addEventListener(type, stop, { passive: true });
  follow.observe(heading.closest("article") ?? document.body);
  setTimeout(stop, FOLLOW_MS);
}

target$.subscribe((heading) => pageLoaded.then(() => keepInView(heading)));
