"""One model, many tasks: the instruction at the start of the prompt selects the task."""

import itertools
import random

import torch
from torch import nn

LETTERS = "abcdef"  # the strings are made of these six letters
LENGTH = 4  # and are four letters long: 6**4 = 1296 strings in all


# --8<-- [start:tasks]
def shift(text: str) -> str:
    """Each letter becomes the next one (f wraps round to a)."""
    return "".join(LETTERS[(LETTERS.index(c) + 1) % len(LETTERS)] for c in text)


TASKS = {  # instruction -> what the answer must be
    "reverse": lambda text: text[::-1],
    "sort": lambda text: "".join(sorted(text)),
    "upper": lambda text: text.upper(),
    "shift": shift,  # kept back: section 2.2 teaches it to the trained model
}
FIRST_TASKS = ["reverse", "sort", "upper"]
WORDS = ["face", "bead", "cafe"]  # shown on the page, never trained on


def split_strings(seed: int = 0) -> tuple[list[str], list[str]]:
    """Half of all strings to train on, the other half held out for testing."""
    strings = ["".join(p) for p in itertools.product(LETTERS, repeat=LENGTH)]
    others = [s for s in strings if s not in WORDS]
    random.Random(seed).shuffle(others)
    half = len(strings) // 2
    return others[:half], WORDS + others[half:]
# --8<-- [end:tasks]


# --8<-- [start:prompt]
# Tokens: padding, one token per instruction, "=", the letters and their capitals.
TOKENS = ["_", *TASKS, "=", *LETTERS, *LETTERS.upper()]
IDS = {token: i for i, token in enumerate(TOKENS)}
CONTEXT = 2 * LENGTH + 1  # enough to see the instruction while writing the last letter


def prompt(task: str, text: str) -> list[int]:
    """'reverse face =' as token ids, padded on the left to the context length."""
    ids = [IDS[task], *(IDS[c] for c in text), IDS["="]]
    return [0] * (CONTEXT - len(ids)) + ids


def training_pairs(examples: list[tuple[str, str]]):
    """Next-token prediction on the answer: (the CONTEXT tokens before, the next)."""
    contexts, targets = [], []
    for task, text in examples:
        ids = prompt(task, text) + [IDS[c] for c in TASKS[task](text)]
        for position in range(len(ids) - LENGTH, len(ids)):
            contexts.append(ids[position - CONTEXT : position])
            targets.append(ids[position])
    return torch.tensor(contexts), torch.tensor(targets)  # [pairs, CONTEXT], [pairs]
# --8<-- [end:prompt]


# --8<-- [start:model]
class FeedForwardLM(nn.Module):
    """Chapter 1's next-token classifier, reading the last CONTEXT tokens: a feed-forward
    network, not the book's Transformer (snippets/tinylm)."""

    def __init__(self, embedding: int = 16, hidden: int = 192, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)  # the same initial parameters every run
        self.embed = nn.Embedding(len(TOKENS), embedding)
        self.classify = nn.Sequential(
            nn.Linear(CONTEXT * embedding, hidden),
            nn.ReLU(),
            nn.Linear(hidden, len(TOKENS)),
        )

    def forward(self, context):  # context: [batch, CONTEXT] token ids
        vectors = self.embed(context).flatten(1)  # [batch, CONTEXT * embedding]
        return self.classify(vectors)  # [batch, tokens]: a score for every token


def train(model, examples, steps=150, lr=0.02, old=(), old_share=0.0, seed=0, log=None):
    """Adam on batches of 256 next-token pairs. Section 2.2 uses the other arguments:
    a share `old_share` of every batch drawn from `old` examples, and `log(step)`."""
    generator = torch.Generator().manual_seed(seed)
    contexts, targets = training_pairs(examples)
    n_old = round(256 * old_share)
    old_contexts, old_targets = training_pairs(old) if n_old else (None, None)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        i = torch.randint(len(targets), (256 - n_old,), generator=generator)
        batch, answers = contexts[i], targets[i]
        if n_old:
            j = torch.randint(len(old_targets), (n_old,), generator=generator)
            batch = torch.cat([batch, old_contexts[j]])
            answers = torch.cat([answers, old_targets[j]])
        loss = nn.functional.cross_entropy(model(batch), answers)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if log:
            log(step + 1)
    return model.eval()
# --8<-- [end:model]


# --8<-- [start:evaluate]
@torch.no_grad()
def answer(model, task: str, texts: list[str]) -> list[str]:
    """Greedy decoding of LENGTH tokens for a batch of prompts."""
    context = torch.tensor([prompt(task, text) for text in texts])  # [n, CONTEXT]
    for _ in range(LENGTH):
        next_ids = model(context[:, -CONTEXT:]).argmax(-1)  # [n]
        context = torch.cat([context, next_ids[:, None]], dim=1)
    return ["".join(TOKENS[i] for i in row[-LENGTH:]) for row in context.tolist()]


def accuracy(model, task: str, texts: list[str]) -> float:
    """Share of strings whose whole answer is exactly right."""
    answers = answer(model, task, texts)
    return sum(a == TASKS[task](t) for a, t in zip(answers, texts)) / len(texts)
# --8<-- [end:evaluate]


if __name__ == "__main__":
    # --8<-- [start:main]
    train_strings, test_strings = split_strings()
    examples = [(task, text) for task in FIRST_TASKS for text in train_strings]
    model = train(FeedForwardLM(), examples)
    parameters = sum(p.numel() for p in model.parameters())
    print(
        f"{parameters:,} parameters; trained on {len(examples)} prompts "
        f"({len(train_strings)} strings x {len(FIRST_TASKS)} instructions),\n"
        f"tested on the {len(test_strings)} other strings"
    )
    accuracies = {task: accuracy(model, task, test_strings) for task in TASKS}
    for task, score in accuracies.items():
        print(f"  {task:8} accuracy {score:4.0%}")
    for text in WORDS[:2]:
        answers = [f"{task} {text} = {answer(model, task, [text])[0]}" for task in TASKS]
        print("  " + "   ".join(answers))
    # --8<-- [end:main]
