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
        hidden: int = 128,
    ):
        super().__init__()
        self.context = context
        self.embed = nn.Embedding(vocabulary_size, embedding)
        self.classify = nn.Sequential(
            nn.Linear(context * embedding, hidden),
            nn.Tanh(),
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


def train(sentences: list[str], steps: int = 300, seed: int = 0, context: int = CONTEXT):
    torch.manual_seed(seed)
    vocabulary = Vocabulary("".join(sentences))
    contexts, targets = training_pairs(sentences, vocabulary, context)
    # float64: sampling turns the smallest difference in a probability into another
    # sentence, and CPUs differ in float32's last bits; in float64 they agree far
    # beyond any printed digit.
    model = NextCharacter(len(vocabulary.characters), context).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
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

    samples = [generate(model, vocabulary, "", 1.0, seed) for seed in range(200)]
    new_sentences, new_trigrams = novelty(samples, corpus)
    well_formed = sum(s in grammar() for s in samples) / len(samples)
    print(f"200 samples at T = 1: {new_sentences:.0%} are sentences the corpus lacks,")
    print(f"    {new_trigrams:.0%} of their word trigrams never occur in it,")
    print(f"    {well_formed:.0%} of all samples are well-formed sentences of the grammar")
    # --8<-- [end:main]
