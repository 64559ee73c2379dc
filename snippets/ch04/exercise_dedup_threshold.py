"""Exercise: near-duplicate removal with a stricter and a looser similarity
threshold.

Needs cleaning_pipeline.py (this chapter's example) beside it."""

from collections import Counter

from cleaning_pipeline import content_filter, deduplicate, extract_text, make_crawl

if __name__ == "__main__":
    pages = extract_text(content_filter(make_crawl()))
    print("threshold  near duplicates left  good pages left")
    left = {}
    for threshold in [0.1, 0.5, 0.9]:
        kinds = Counter(p["kind"] for p in deduplicate(pages, threshold))
        left[threshold] = kinds
        print(f"{threshold:9.1f}  {kinds['near duplicate']:20d}  {kinds['good']:15d}")
