"""Generation as repeated classification: text, one character at a time."""

import itertools
import random

import torch
from torch import nn

CONTEXT = 8  # the model sees the last 8 characters
END = "."  # every sentence ends with a full stop


# --8<-- [start:corpus]
def grammar() -> list[str]:
    """Every sentence of a tiny grammar: 6 subjects x 6 verbs x 6 places = 216."""
    subjects = ["the cat", "the dog", "a bird", "my friend", "the teacher", "a robot"]
    verbs = ["sleeps", "sings", "reads", "waits", "dances", "eats"]
    places = [
        "at home",
        "in the park",
        "on the roof",
        "by the river",
        "at school",
        "in bed",
    ]
    return [
        f"{s} {v} {p}{END}" for s, v, p in itertools.product(subjects, verbs, places)
    ]


def make_corpus(seed: int = 0) -> list[str]:
    """Half of the grammar's sentences, chosen at random: the other half stay unseen."""
    sentences = grammar()
    random.Random(seed).shuffle(sentences)
    return sentences[: len(sentences) // 2]
# --8<-- [end:corpus]


# --8<-- [start:model]
class NextCharacter(nn.Module):
    """A classifier: from the last `context` characters, score every possible next one."""

    def __init__(
        self,
        vocabulary_size: int,
        context: int = CONTEXT,
        embedding: int = 16,
        hidden: int = 64,
    ):
        super().__init__()
        self.context = context
        self.embed = nn.Embedding(vocabulary_size, embedding)
        self.classify = nn.Sequential(
            nn.Linear(context * embedding, hidden),
            nn.ReLU(),
            nn.Linear(hidden, vocabulary_size),
        )

    def forward(self, context):  # context: [batch, context] character ids
        vectors = self.embed(context).flatten(1)  # [batch, context * embedding]
        return self.classify(
            vectors
        )  # [batch, vocabulary] logits: one score per character
# --8<-- [end:model]


class Vocabulary:
    """Characters to ids and back; id 0 is padding before the text starts."""

    def __init__(self, text: str):
        self.characters = ["_"] + sorted(set(text))
        self.ids = {c: i for i, c in enumerate(self.characters)}

    def encode(self, text: str) -> list[int]:
        return [self.ids[c] for c in text]

    def decode(self, ids) -> str:
        return "".join(self.characters[i] for i in ids)


def training_pairs(sentences: list[str], vocabulary: Vocabulary, context: int):
    """Each position of each sentence: (the `context` characters before, the next)."""
    contexts, targets = [], []
    for sentence in sentences:
        ids = [0] * context + vocabulary.encode(sentence)
        for position in range(context, len(ids)):
            contexts.append(ids[position - context : position])
            targets.append(ids[position])
    return torch.tensor(contexts), torch.tensor(targets)  # [pairs, context], [pairs]


def train(sentences: list[str], steps: int = 100, seed: int = 0, context: int = CONTEXT):
    torch.manual_seed(seed)
    vocabulary = Vocabulary("".join(sentences))
    contexts, targets = training_pairs(sentences, vocabulary, context)
    # float64: sampling turns the smallest difference in a probability into another
    # sentence, and CPUs differ in float32's last bits; in float64 they agree far
    # beyond any printed digit.
    model = NextCharacter(len(vocabulary.characters), context).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(
            model(contexts), targets
        )  # a classification loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval(), vocabulary, loss.item()


# --8<-- [start:generate]
def next_distribution(model, vocabulary, text: str, temperature: float = 1.0):
    """One classification step: a probability for every possible next character."""
    ids = ([0] * model.context + vocabulary.encode(text))[-model.context :]
    with torch.no_grad():
        logits = model(torch.tensor([ids]))[0]  # [vocabulary]
    return torch.softmax(logits / temperature, dim=-1)  # [vocabulary], sums to 1


def generate(
    model, vocabulary, prompt: str = "", temperature: float = 0.0, seed: int = 0
):
    """Repeat the step: choose a character, append it, ask again, until the end.

    temperature 0 means greedy: always take the most probable character."""
    generator = torch.Generator().manual_seed(seed)
    text = prompt
    while not text.endswith(END) and len(text) < 60:
        if temperature == 0:
            choice = int(next_distribution(model, vocabulary, text).argmax())
        else:
            probabilities = next_distribution(model, vocabulary, text, temperature)
            choice = int(torch.multinomial(probabilities, 1, generator=generator))
        text += vocabulary.characters[choice]
    return text
# --8<-- [end:generate]


# --8<-- [start:sample_many]
def sample_many(model, vocabulary, n: int, temperature: float = 1.0, seed: int = 0):
    """The loop of `generate`, run for n sentences at once: each step classifies n contexts.

    Every sentence gets 60 steps; what follows its first full stop is cut off."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.zeros(n, model.context, dtype=torch.long)  # [n, context]: padding only
    with torch.no_grad():
        for _ in range(60):
            logits = model(ids[:, -model.context :])  # [n, vocabulary]
            probabilities = torch.softmax(logits / temperature, dim=-1)  # [n, vocabulary]
            choices = torch.multinomial(probabilities, 1, generator=generator)  # [n, 1]
            ids = torch.cat([ids, choices], dim=1)  # [n, context + steps so far]
    texts = [vocabulary.decode(row) for row in ids[:, model.context :].tolist()]
    return [text[: text.index(END) + 1] if END in text else text for text in texts]
# --8<-- [end:sample_many]


# --8<-- [start:novelty]
def word_trigrams(sentence: str) -> set[tuple[str, ...]]:
    words = sentence.removesuffix(END).split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def novelty(samples: list[str], corpus: list[str]) -> tuple[float, float]:
    """Shares of generated sentences, and of their word trigrams, new to the corpus."""
    seen_sentences = set(corpus)
    seen_trigrams = set().union(*(word_trigrams(s) for s in corpus))
    sample_trigrams = [t for s in samples for t in word_trigrams(s)]
    new_sentences = sum(s not in seen_sentences for s in samples) / len(samples)
    new_trigrams = sum(t not in seen_trigrams for t in sample_trigrams) / len(
        sample_trigrams
    )
    return new_sentences, new_trigrams
# --8<-- [end:novelty]


if __name__ == "__main__":
    # --8<-- [start:main]
    corpus = make_corpus()
    model, vocabulary, loss = train(corpus)
    print(
        f"{len(corpus)} training sentences, {len(vocabulary.characters)} characters, "
        f"final training loss {loss:.3f}"
    )

    probabilities = next_distribution(model, vocabulary, "the cat s")
    top = torch.topk(probabilities, 3)
    print(
        "after 'the cat s':",
        ", ".join(
            f"{vocabulary.characters[i]!r} {p:.3f}"
            for p, i in zip(top.values, top.indices)
        ),
    )
    print(
        f"the probabilities of all {len(probabilities)} characters sum to "
        f"{probabilities.sum():.4f}"
    )

    print("greedy:        ", generate(model, vocabulary, "the "))
    print("greedy again:  ", generate(model, vocabulary, "the "))
    for temperature in (0.5, 1.0, 2.0):
        for seed in range(2):
            print(
                f"T = {temperature}, seed {seed}:",
                generate(model, vocabulary, "", temperature, seed),
            )

    grammatical = set(grammar())
    columns = ["well-formed", "new to the corpus", "new and well-formed", "new trigrams"]
    print(f"{'1000 samples':12}" + "".join(f"  {column}" for column in columns))
    shares = {}  # temperature -> the four shares printed
    for temperature in (0.5, 1.0, 2.0):
        samples = sample_many(model, vocabulary, 1000, temperature)
        new_sentences, new_trigrams = novelty(samples, corpus)
        well_formed = sum(s in grammatical for s in samples) / len(samples)
        new_and_well_formed = sum(
            s in grammatical and s not in corpus for s in samples
        ) / len(samples)
        shares[temperature] = (well_formed, new_sentences, new_and_well_formed, new_trigrams)
        print(
            f"{f'T = {temperature}':12}"
            + "".join(f"{x:>{len(c) + 2}.1%}" for c, x in zip(columns, shares[temperature]))
        )
    # --8<-- [end:main]
