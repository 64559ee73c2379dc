"""Cleaning a web crawl before pretraining: a generated crawl with planted defects
goes through five stages, and we count what each stage removes."""

import random
import re
import zlib
from collections import Counter

# --8<-- [start:crawl]
SITES = ["news.example", "recipes.example", "travel.example", "science.example"]
BLOCKED_SITES = {"casino-wins.example", "free-malware.example"}  # a blocklist of domains
TEST_SET = [  # a benchmark whose questions must not be trained on
    "Question: Which planet in the Lumen system has two moons? "
    "Answer: Tarsk has two moons.",
    "Question: How many bridges cross the river Ovel in the city of Brakk? Answer: Seven.",
    "Question: Who wrote the songbook called The Salt Road? "
    "Answer: Mira Okonkwo wrote it.",
]

WORDS = {
    "who": ["the baker", "a fisherman", "the mayor", "my neighbour", "a young pilot",
            "the teacher", "an old farmer", "the doctor", "a travelling singer",
            "the night guard"],
    "did": ["repaired", "painted", "measured", "photographed", "described", "visited",
            "sold", "cleaned", "mapped", "guarded"],
    "what": ["the harbour wall", "a wooden boat", "the market square", "an old lighthouse",
             "the library roof", "a stone bridge", "the orchard", "a small museum",
             "the railway station", "the village well"],
    "when": ["on Monday", "after the storm", "before sunrise", "in early spring",
             "last winter", "during the festival", "at noon", "one rainy evening",
             "in late autumn", "the next morning"],
    "then": ["and then went home", "and told the whole town",
             "to the delight of the children", "and wrote about it", "to keep it safe",
             "and came back the next day", "with help from friends",
             "with great patience", "to everyone's surprise", "and was thanked for it"],
}


def sentence(rng: random.Random) -> str:
    w = {part: rng.choice(options) for part, options in WORDS.items()}
    return f"{w['who'].capitalize()} {w['did']} {w['what']} {w['when']} {w['then']}."


def article(rng: random.Random) -> str:
    """A good document: six to ten sentences of ordinary prose."""
    return " ".join(sentence(rng) for _ in range(rng.randint(6, 10)))


def page(site: str, title: str, text: str) -> str:
    """Wrap text in the HTML a crawler fetches: scripts, menus and footers included.
    """
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n"))
    return (f"<html><head><title>{title}</title><script>track('{site}');</script>"
            f"<style>p {{ margin: 0 }}</style></head><body>\n"
            f"<nav>Home | Latest | About {site} | Contact</nav>\n"
            f"<article>{paragraphs}</article>\n"
            f"<footer>Copyright {site}. All rights reserved. "
            f"Subscribe to our newsletter!</footer>\n"
            f"</body></html>")


def make_crawl(n_good: int = 200, seed: int = 0) -> list[dict]:
    """Pages with their true kind: good ones and planted defects of every sort."""
    rng = random.Random(seed)
    pages = []

    def add(kind, site, text):
        pages.append({"url": f"https://{site}/{len(pages)}", "kind": kind,
                      "html": page(site, f"Page {len(pages)}", text)})

    good = [article(rng) for _ in range(n_good)]
    for text in good:
        add("good", rng.choice(SITES), text)
    for site in sorted(BLOCKED_SITES):
        for _ in range(5):
            add("blocked site", site, article(rng))
    for text in rng.sample(good, 15):  # the same article published twice
        add("exact duplicate", rng.choice(SITES), text)
    for text in rng.sample(good, 15):  # republished, a few words changed and a line added
        words = text.split()
        for i in rng.sample(range(len(words)), 3):
            words[i] = rng.choice(["truly", "really", "quite", "very"])
        copy = " ".join(words) + " Read more on our site."
        add("near duplicate", rng.choice(SITES), copy)
    for _ in range(8):  # keyword spam
        add("low quality", rng.choice(SITES),
            " ".join(rng.choice(["cheap", "shoes", "buy", "now"]) for _ in range(80)))
    for _ in range(6):  # error pages
        add("low quality", rng.choice(SITES), "404 Page not found.")
    for _ in range(6):  # symbols and numbers, not language
        add("low quality", rng.choice(SITES),
            " ".join(rng.choice(["###", "$$$", "|||", "1234", ">>>", "***"])
                     for _ in range(60)))
    for item in TEST_SET:  # a quiz page that copied the benchmark
        add("leaked test item", rng.choice(SITES), article(rng) + "\n" + item)
    return pages  # in the order they were crawled: every original before its copies
# --8<-- [end:crawl]


# --8<-- [start:stages]
def content_filter(pages):
    """Stage 1: drop pages from blocked domains (adult, gambling, malware sites)."""
    return [p for p in pages if p["url"].split("/")[2] not in BLOCKED_SITES]


def extract_text(pages):
    """Stage 2: keep the text, not the markup: drop scripts, styles, menus and
    footers, then every tag. (Real extractors find the main text by its shape; our
    pages mark it.)"""
    for p in pages:
        unwanted = r"<(script|style|nav|footer|title)>.*?</\1>"
        html = re.sub(unwanted, "", p["html"], flags=re.S)
        p["text"] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "\n", html)).strip()
    return pages


STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"}


def looks_like_language(text: str) -> bool:
    """Stage 3, quality: rules in the style of Gopher's (Rae et al., 2021)."""
    words = text.split()
    if not 50 <= len(words) <= 100_000:  # too short (or absurdly long)
        return False
    if sum(any(c.isalpha() for c in w) for w in words) < 0.8 * len(words):
        return False  # mostly symbols and numbers
    if len(STOP_WORDS & {w.lower() for w in words}) < 2:
        return False  # real sentences use "the", "and", "to"...
    most_common_share = Counter(words).most_common(1)[0][1] / len(words)
    return most_common_share < 0.2  # a few words over and over: spam


def quality_filter(pages):
    return [p for p in pages if looks_like_language(p["text"])]


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)  # |a & b| / |a | b|


def deduplicate(pages, threshold: float = 0.5):
    """Stage 4: keep the first of each group of exact (same hash) or near duplicates
    (Jaccard similarity of their 5-word shingles above the threshold). A page is
    compared with the pages kept so far only: one whose original was itself dropped as
    a near duplicate of an earlier page can survive (exercise 3 meets one)."""
    kept, hashes, kept_shingles = [], set(), []
    for p in pages:
        digest = zlib.crc32(p["text"].encode())
        if digest in hashes:
            continue
        s = shingles(p["text"])
        if any(jaccard(s, other) > threshold for other in kept_shingles):
            continue
        kept.append(p)
        hashes.add(digest)
        kept_shingles.append(s)
    return kept


def decontaminate(pages, test_set=TEST_SET, n: int = 13):
    """Stage 5: drop any page that shares a 13-word sequence with a test item."""
    test_ngrams = set().union(*(shingles(item, n) for item in test_set))
    return [p for p in pages if not shingles(p["text"], n) & test_ngrams]


STAGES = [
    ("content filtering", content_filter),
    ("text extraction", extract_text),
    ("quality filtering", quality_filter),
    ("deduplication", deduplicate),
    ("test-set removal", decontaminate),
]
# --8<-- [end:stages]


if __name__ == "__main__":
    # --8<-- [start:main]
    crawl = make_crawl()
    kinds = sorted(Counter(p["kind"] for p in crawl).items())
    print(f"crawled {len(crawl)} pages: " + ", ".join(f"{n} {kind}" for kind, n in kinds))
    pages = crawl
    for name, stage in STAGES:
        before = Counter(p["kind"] for p in pages)
        pages = stage(pages)
        removed = before - Counter(p["kind"] for p in pages)
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(removed.items())) or "no page"
        print(f"after {name:<18} {len(pages):3d} pages (removed {what})")
    left = Counter(p["kind"] for p in pages)
    print(f"left: {dict(left)}")
    boilerplate = sum("All rights reserved" in p["text"] or "track(" in p["text"]
                      for p in pages)
    print(f"pages still holding menus, footers or scripts: {boilerplate}")
    print("a cleaned page begins:", pages[0]["text"][:90] + "...")
    # --8<-- [end:main]
