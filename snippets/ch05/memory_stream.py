"""A memory stream (Park et al., 2023): every observation is stored with its time and
importance; retrieval scores each memory by recency, importance and relevance to a
query; a reflection is written when the importance of new memories adds up."""

import math
import re
from collections import Counter
from dataclasses import dataclass

DECAY = 0.995  # recency falls by this factor per hour since a memory was last used
THRESHOLD = 20  # reflect when the importance of new observations passes this sum
STOPWORDS = set(  # words that say nothing about what a memory is about
    "a an the to of in on at for by with and is are be will it she he her his "
    "what whether should asks says makes".split()
)

# A day of Mei, who runs a bakery: (hour, importance from 1 to 10, what she observed).
# The importance is what a language model would answer when asked to rate it.
DAY = [
    (7.0, 1, "Mei eats breakfast in her kitchen"),
    (7.5, 2, "Mei opens the bakery"),
    (8.0, 7, "Tom asks Mei to bake a cake for his birthday party"),
    (9.0, 5, "The oven in the bakery makes a strange noise"),
    (10.0, 1, "Mei sells bread to a regular customer"),
    (11.0, 4, "Anna says she will bring music to the birthday party"),
    (12.0, 1, "Mei eats lunch in the garden"),
    (13.0, 8, "The oven breaks down and the bread burns"),
    (14.0, 4, "Mei calls a repairman about the broken oven"),
    (15.0, 5, "Tom says twenty guests are coming to the birthday party"),
    (16.0, 1, "Mei waters the plants in the garden"),
    (17.0, 6, "The repairman says the oven needs a new part by Friday"),
    (18.0, 2, "Mei closes the bakery"),
    (19.0, 1, "Mei reads a novel in the garden"),
    (20.0, 3, "Anna asks whether the birthday cake will have chocolate"),
]


# --8<-- [start:memory]
@dataclass
class Memory:
    text: str
    created: float  # hour
    importance: int  # 1 (mundane) to 10 (poignant)
    last_used: float  # hour it was last retrieved
    evidence: tuple = ()  # for a reflection: the memories it was drawn from


def words(text: str) -> Counter:
    """A bag-of-words 'embedding': how often each content word occurs."""
    return Counter(w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOPWORDS)


def cosine(a: Counter, b: Counter) -> float:
    dot = sum(a[w] * b[w] for w in a)
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
# --8<-- [end:memory]


# --8<-- [start:retrieve]
def min_max(values: list[float]) -> list[float]:
    """Rescale to [0, 1], so that no component dominates by its units alone."""
    low, high = min(values), max(values)
    return [(v - low) / (high - low) if high > low else 0.0 for v in values]


def scores(stream, query: str, now: float, weights=(1.0, 1.0, 1.0)):
    """Each memory's score: a weighted sum of its normalised recency, importance
    and relevance to the query (all weights 1, as in Park et al.)."""
    recency = min_max([DECAY ** (now - m.last_used) for m in stream])
    importance = min_max([m.importance for m in stream])
    relevance = min_max([cosine(words(m.text), words(query)) for m in stream])
    w_rec, w_imp, w_rel = weights
    return [
        (w_rec * rec + w_imp * imp + w_rel * rel, rec, imp, rel)
        for rec, imp, rel in zip(recency, importance, relevance)
    ]


def retrieve(stream, query: str, now: float, k: int = 3, weights=(1.0, 1.0, 1.0)):
    """The k best-scoring memories; using them makes them recent again."""
    scored = scores(stream, query, now, weights)
    best = sorted(range(len(stream)), key=lambda i: (-scored[i][0], i))[:k]
    for i in best:
        stream[i].last_used = now
    return [(stream[i], scored[i]) for i in best]
# --8<-- [end:retrieve]


# --8<-- [start:reflect]
def reflect(stream, recent, now: float) -> Memory:
    """A stand-in for asking the language model "what do these memories add up to?":
    the question is the content word that carries the most importance among the
    recent memories; the memories retrieved for it are the evidence; the insight
    names the topic and the evidence's other most important words."""
    weight = Counter()
    for memory in recent:
        for word in words(memory.text):
            weight[word] += memory.importance
    topic = min(weight, key=lambda w: (-weight[w], w))  # ties: alphabetical
    evidence = [m for m, _ in retrieve(stream, topic, now)]
    detail = Counter()
    for memory in evidence:
        for word in set(words(memory.text)) - {topic, "mei"}:
            detail[word] += memory.importance
    details = sorted(detail, key=lambda w: (-detail[w], w))[:3]
    text = f"Reflection on the {topic}: {', '.join(details)}"  # only the evidence's words
    importance = max(m.importance for m in evidence)
    return Memory(text, now, importance, now, tuple(m.text for m in evidence))


def live(day, threshold: int = THRESHOLD):
    """Observe the day one event at a time; reflect whenever the importance of the
    observations since the last reflection reaches the threshold."""
    stream, recent = [], []
    for hour, importance, text in day:
        memory = Memory(text, hour, importance, hour)
        stream.append(memory)
        recent.append(memory)
        if sum(m.importance for m in recent) >= threshold:
            stream.append(reflect(stream, recent, hour))
            recent = []
    return stream
# --8<-- [end:reflect]


if __name__ == "__main__":
    # --8<-- [start:main]
    stream = live(DAY)
    print(" hour  importance  memory")
    for memory in stream:
        print(f"{memory.created:5.1f}  {memory.importance:10}  {memory.text}")
    reflections = [m for m in stream if m.evidence]
    print(f"{len(stream)} memories: {len(DAY)} observations, {len(reflections)} reflections")

    now = 21.0
    queries = [
        "What should Mei prepare for the birthday party?",
        "Is the oven working?",
        "What matters to Mei today?",
    ]
    retrieved = {}
    for query in queries:
        print(f"\nquery: {query}\nscore  rec.  imp.  rel.  memory")
        found = retrieve(stream, query, now)
        retrieved[query] = [memory.text for memory, _ in found]
        for memory, (score, rec, imp, rel) in found:
            print(f"{score:5.2f}  {rec:4.2f}  {imp:4.2f}  {rel:4.2f}  {memory.text}")
    # --8<-- [end:main]
