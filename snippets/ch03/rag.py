"""Retrieval-augmented generation end to end: a small reader, trained to answer from the
passages put before it, answers questions about handbooks it has never seen, with no
passage, with the passages BM25 retrieves, and with the passage that holds the answer.

Needs handbooks.py and retrieval.py beside it.
"""

import math
import random
import re

import torch

from handbooks import (
    ALL_QUESTIONS,
    IN_OTHER_WORDS,
    MAPLE_LAB,
    TEMPLATES,
    VALUES,
    handbook,
    passage_of,
    random_facts,
)
from retrieval import BM25

TRAINING_LABS, TEST_LABS = 100, 100


def tokens(text: str) -> list[str]:
    return re.findall(r"\d+:\d+|[a-z0-9]+", text.lower())  # words; times such as 8:00 whole


# Every word the reader can read or say; id 0 is padding.
WORDS = ["<pad>"] + sorted(
    {w for text in [*TEMPLATES, *ALL_QUESTIONS] for w in tokens(re.sub("{.*?}", "", text))}
    | {w for values in VALUES.values() for value in values for w in tokens(value)}
)
ID = {word: i for i, word in enumerate(WORDS)}


def encode(texts: list[str]) -> torch.Tensor:
    """Texts as word ids, padded with 0 to the longest: [len(texts), longest]."""
    ids = [[ID[w] for w in tokens(text)] for text in texts]
    longest = max(1, *map(len, ids))
    return torch.tensor([row + [0] * (longest - len(row)) for row in ids])


# --8<-- [start:reader]
class Reader(torch.nn.Module):
    """Answers a question with one word: copied from the context, by pointing at the
    place that answers it, or, when the context has nothing to copy, a guess made from
    the question alone."""

    def __init__(self, dim: int = 32, window: int = 7):
        super().__init__()
        self.window = window
        self.question_word = torch.nn.Embedding(len(WORDS), dim, padding_idx=0)
        # from the question, for each word and each offset in a window of seven places
        # (three either side of the answer, and the answer itself): how much that word
        # there says "this is the answer"
        self.expects = torch.nn.Linear(dim, window * len(WORDS))
        self.guess = torch.nn.Linear(dim, len(WORDS))  # a closed-book answer

    def forward(self, question, context):  # [B, Q], [B, C] word ids -> [B, words]
        words_asked = (question > 0).sum(1, keepdim=True)  # [B, 1]
        asked = self.question_word(question).sum(1) / words_asked  # [B, d]: their mean
        expected = self.expects(asked).view(-1, self.window, len(WORDS))  # [B, w, words]
        side, length = self.window // 2, context.shape[1]
        padded = torch.nn.functional.pad(context, (side, side))  # [B, C + 2 side]
        fit = sum(  # how well the words around each place fit the question: [B, C]
            expected[:, o].gather(1, padded[:, o : o + length]) for o in range(self.window)
        )
        fit = fit.masked_fill(context == 0, -math.inf)
        # one softmax over guessing each word and pointing at each place of the context
        p = torch.cat([self.guess(asked), fit], dim=1).softmax(dim=1)  # [B, words + C]
        guessed, pointed = p[:, : len(WORDS)], p[:, len(WORDS) :]
        return guessed.scatter_add(1, context, pointed)  # P(answer word): [B, words]
# --8<-- [end:reader]


# --8<-- [start:train]
def training_examples(rng: random.Random, labs: int):
    """For each lab and question: the context the reader gets, and the answer. A quarter
    of the contexts are empty (nothing to read); the rest hold the passage that answers,
    alone or with another passage of the handbook, in random order."""
    questions, contexts, answers = [], [], []
    for _ in range(labs):
        facts = random_facts(rng)
        passages = handbook(facts)
        for question, slot in ALL_QUESTIONS.items():
            gold = passages[passage_of(slot)]
            other = rng.choice([passage for passage in passages if passage != gold])
            context = rng.choice([[], [gold], [gold], [gold, other]])
            rng.shuffle(context)
            questions.append(question)
            contexts.append(" ".join(context))
            answers.append(ID[tokens(facts[slot])[0]])
    return encode(questions), encode(contexts), torch.tensor(answers)


def train(reader, examples, epochs: int = 2, batch: int = 64, learning_rate: float = 3.0):
    """Plain gradient descent on the cross-entropy of the right answer."""
    questions, contexts, answers = examples
    for _ in range(epochs):
        for i in torch.randperm(len(answers)).split(batch):
            p = reader(questions[i], contexts[i])  # [batch, words]
            loss = -p.gather(1, answers[i, None]).log().mean()
            reader.zero_grad()
            loss.backward()
            with torch.no_grad():
                for parameter in reader.parameters():
                    parameter -= learning_rate * parameter.grad
# --8<-- [end:train]


# --8<-- [start:evaluate]
def answer(reader, questions: list[str], contexts: list[str]) -> list[str]:
    with torch.no_grad():
        return [WORDS[i] for i in reader(encode(questions), encode(contexts)).argmax(1)]


def contexts_for(question: str, passages: list[str], index: BM25, slot: str) -> dict:
    """What the reader gets to read, in each of the three settings."""
    retrieved = [passages[i] for i, _ in index.top(question, k=2)]
    return {"no retrieval": "", "BM25, top 2 passages": " ".join(retrieved),
            "the passage that answers": passages[passage_of(slot)]}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """A 95% interval for a rate of k in n (Wilson's)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def on_new_labs(reader, rng: random.Random, labs: int) -> dict:
    """Every question about new labs, in each setting: (the reader's answer, the fact)."""
    asked, read, keys, facts_asked = [], [], [], []
    for _ in range(labs):
        facts = random_facts(rng)
        passages = handbook(facts)
        index = BM25(passages)
        for question, slot in ALL_QUESTIONS.items():
            for setting, context in contexts_for(question, passages, index, slot).items():
                asked.append(question)
                read.append(context)
                keys.append((setting, question))
                facts_asked.append(tokens(facts[slot])[0])
    results = {}  # (setting, question) -> [(answer, fact), one per lab]
    for key, said, fact in zip(keys, answer(reader, asked, read), facts_asked):
        results.setdefault(key, []).append((said, fact))
    return results
# --8<-- [end:evaluate]


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    rng = random.Random(0)
    reader = Reader().double()
    train(reader, training_examples(rng, TRAINING_LABS))
    results = on_new_labs(reader, rng, TEST_LABS)

    print(f"the reader: trained on {TRAINING_LABS} labs x {len(ALL_QUESTIONS)} questions, "
          f"tested on {TEST_LABS} new labs")
    groups = {"all questions": ALL_QUESTIONS, "Saturday, Sunday": IN_OTHER_WORDS}
    print("share of answers right, with 95% intervals:")
    print(" " * 26 + "".join(f"{name} (n = {TEST_LABS * len(group)})".ljust(30)
                             for name, group in groups.items()).rstrip())
    for setting in ["no retrieval", "BM25, top 2 passages", "the passage that answers"]:
        cells = []
        for group in groups.values():
            right = [said == fact for q in group for said, fact in results[setting, q]]
            low, high = wilson(sum(right), len(right))
            cells.append(f"{sum(right) / len(right):.3f} [{low:.3f}, {high:.3f}]".ljust(30))
        print(f"{setting:<26}" + "".join(cells).rstrip())
    chances = [sum(1 / len(VALUES[slot]) for slot in group.values()) / len(group)
               for group in groups.values()]
    print(f"{'a random value':<26}" + "".join(f"{c:.3f}".ljust(30) for c in chances).rstrip())
    closed_book = [(said, q) for q in ALL_QUESTIONS for said, _ in results["no retrieval", q]]
    kind = sum(said in map(str.lower, VALUES[ALL_QUESTIONS[q]]) for said, q in closed_book)
    print(f"with no passage, {kind / len(closed_book):.1%} of its answers are a value of the "
          "kind asked for")

    question = "When can I get in on Saturday?"
    passages = handbook(MAPLE_LAB)
    index = BM25(passages)
    settings = contexts_for(question, passages, index, IN_OTHER_WORDS[question])
    said = answer(reader, [question] * 3, list(settings.values()))
    print(f"\nthe Maple Lab: {question} (the handbook: from {MAPLE_LAB['weekend_opens']})")
    print("BM25 retrieves: " + ", ".join(passages[i].split(":")[0] for i, _ in index.top(question)))
    for setting, word in zip(settings, said):
        print(f"    {setting:<26}the reader answers {word}")
    # --8<-- [end:main]
