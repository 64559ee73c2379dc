"""Retrieval: find the passages that answer a question, and put them in the prompt.

Needs handbooks.py beside it.
"""

import math
import re
from collections import Counter

from handbooks import MAPLE_LAB, handbook

# The handbook of a made-up lab: facts no language model could have learned in training.
HANDBOOK = handbook(MAPLE_LAB)


# --8<-- [start:bm25]
def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


class BM25:
    """Okapi BM25: a passage scores for each query word it contains, more for rare
    words (idf), more for repeats but with diminishing returns (k1), and less when the
    passage is long, since long passages contain many words by chance (b)."""

    def __init__(self, passages: list[str], k1: float = 1.5, b: float = 0.75):
        self.counts = [Counter(words(passage)) for passage in passages]
        self.lengths = [sum(count.values()) for count in self.counts]
        self.average_length = sum(self.lengths) / len(self.lengths)
        n = len(passages)
        containing = Counter(word for count in self.counts for word in count)
        self.idf = {  # inverse document frequency: rare words weigh more
            word: math.log((n - m + 0.5) / (m + 0.5) + 1)
            for word, m in containing.items()
        }
        self.k1, self.b = k1, b

    def score(self, query: str, i: int) -> float:
        count, length = self.counts[i], self.lengths[i]
        total = 0.0
        for word in words(query):
            f = count[word]  # how often the word occurs in passage i (0 if never)
            saturation = f * (self.k1 + 1) / (
                f + self.k1 * (1 - self.b + self.b * length / self.average_length)
            )
            total += self.idf.get(word, 0.0) * saturation
        return total

    def top(self, query: str, k: int = 2) -> list[tuple[int, float]]:
        scores = [(i, self.score(query, i)) for i in range(len(self.counts))]
        return sorted(scores, key=lambda pair: (-pair[1], pair[0]))[:k]
# --8<-- [end:bm25]


# --8<-- [start:prompt]
def augmented_prompt(question: str, passages: list[str], index: BM25, k: int = 2):
    """Retrieval-augmented generation: the prompt carries the passages retrieved for
    the question, so the model reads the facts instead of having to know them."""
    found = [passages[i] for i, _ in index.top(question, k)]
    context = "\n".join(f"[{n}] {passage}" for n, passage in enumerate(found, start=1))
    return (
        "Answer the question from the passages below; if they do not contain the "
        f"answer, say so.\n\n{context}\n\nQuestion: {question}\nAnswer:"
    )
# --8<-- [end:prompt]


if __name__ == "__main__":
    # --8<-- [start:main]
    index = BM25(HANDBOOK)
    questions = [
        "How do I book the GPU server?",
        "Can I print a poster for my talk?",
        "What is the Wi-Fi password for guests?",
        "When does the reading group meet?",
        "What does a new key cost?",
    ]
    for question in questions:
        found = index.top(question)
        print(question)
        for i, score in found:
            print(f"    {score:5.2f}  {HANDBOOK[i][:70]}...")
    print("\nthe prompt the language model receives:\n")
    print(augmented_prompt(questions[0], HANDBOOK, index))
    # --8<-- [end:main]
