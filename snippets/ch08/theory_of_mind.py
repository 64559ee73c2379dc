"""Theory of mind, and why passing a test is not having the ability: a small model
trained on Sally-Anne stories passes them, and fails Ullman's trivial alterations
(a transparent container, Sally watching, Sally being told). A belief-tracking solver
and a "reality" baseline for comparison.

Needs score_noise.py beside it (the chapter's interval rule) and the package
snippets/tinylm/ (chapter 6's model code; its weights are not used), in the folder
above.
"""

import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from score_noise import interval
from tinylm import Config, TinyLM

NAMES = ["Sally", "Anne", "Max", "Lea", "Tom", "Mia", "Ben", "Zoe"]
OBJECTS = ["ball", "marble", "key", "coin", "book", "apple"]
CONTAINERS = ["basket", "box", "bag", "drawer", "jar", "cup", "tin", "bowl"]
FILLERS = ["{b} sings .", "It is raining .", "{a} smiles .", "{b} opens a window .",
           "The room is quiet ."]
VARIANTS = ["standard", "transparent", "watching", "told"]


# --8<-- [start:stories]
def story(rng: random.Random, variant: str = "standard") -> tuple[list[str], dict]:
    """A Sally-Anne story as words, and its facts. `variant` adds one sentence:
    the new container is transparent, Sally watches the move, or she is told."""
    a, b = rng.sample(NAMES, 2)
    thing = rng.choice(OBJECTS)
    first, second = rng.sample(CONTAINERS, 2)
    sentences = [f"{a} puts the {thing} in the {first} .", f"{a} leaves .",
                 f"{b} moves the {thing} to the {second} .", f"{a} comes back ."]
    extra = {"transparent": (3, f"The {second} is made of glass ."),
             "watching": (2, f"{a} watches through the door ."),
             "told": (4, f"{b} tells {a} about the move .")}
    if variant in extra:
        position, sentence = extra[variant]
        sentences.insert(position, sentence)
    for _ in range(rng.randint(0, 2)):  # neutral sentences anywhere, before the question
        sentences.insert(rng.randint(0, len(sentences)),
                         rng.choice(FILLERS).format(a=a, b=b))
    sentences.append(f"Where will {a} look for the {thing} ?")
    facts = {"first": first, "second": second, "variant": variant, "who": a}
    return " ".join(sentences).split(), facts


def belief_tracker(facts: dict) -> str:
    """A hand-written reference, not a learned model: track what the person could
    perceive. She saw the first placement; she learns of the move only by seeing it
    (watching, a glass container) or by being told."""
    knows_move = facts["variant"] in ("transparent", "watching", "told")
    return facts["second"] if knows_move else facts["first"]


def reality(facts: dict) -> str:
    """The baseline that answers where the object really is."""
    return facts["second"]
# --8<-- [end:stories]


VOCABULARY = sorted({w for f in FILLERS for w in f.split()} | set(NAMES) | set(OBJECTS)
                    | set(CONTAINERS) | set(
    "puts the in leaves moves to comes back Where will look for ? . made of glass "
    "watches through door tells about move".split()))
INDEX = {w: i for i, w in enumerate(VOCABULARY)}


# --8<-- [start:model]
def encode(stories: list[list[str]]) -> torch.Tensor:
    """Word ids [n, longest], padded on the right (attention is causal)."""
    longest = max(map(len, stories))
    return torch.tensor([[INDEX[w] for w in s] + [0] * (longest - len(s)) for s in stories])


def train(variants=("standard",), steps: int = 100, lr: float = 3e-3,
          seed: int = 0) -> TinyLM:
    """A two-layer Transformer (the book's TinyLM, tiny and untrained) that reads a
    story and predicts the answer's word after the question mark."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    # float64: a half-trained model has near-ties that float32 would break differently
    # on different CPUs
    model = TinyLM(Config(vocab_size=len(VOCABULARY), d_model=24, n_heads=2,
                          n_layers=2, context=64)).double()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    for _ in range(steps):
        batch = [story(rng, rng.choice(variants)) for _ in range(16)]
        ids = encode([words for words, _ in batch])
        last = torch.tensor([len(words) - 1 for words, _ in batch])  # the "?"
        target = torch.tensor([INDEX[belief_tracker(facts)] for _, facts in batch])
        logits = model(ids)[torch.arange(len(batch)), last]  # [16, vocabulary]
        loss = F.cross_entropy(logits, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@torch.no_grad()
def answers(model, stories: list[list[str]]) -> list[str]:
    """The container the model names: its most likely container word."""
    last = torch.tensor([len(s) - 1 for s in stories])
    logits = model(encode(stories))[torch.arange(len(stories)), last]
    containers = torch.tensor([INDEX[c] for c in CONTAINERS])
    return [CONTAINERS[i] for i in logits[:, containers].argmax(-1).tolist()]
# --8<-- [end:model]


def accuracy_table(model, n: int = 200, seed: int = 1) -> dict:
    """Accuracy of the model and the two references on n fresh stories per variant:
    {variant: {name: per-story 0/1 tensor}}."""
    rng = random.Random(seed)
    table = {}
    for variant in VARIANTS:
        tests = [story(rng, variant) for _ in range(n)]
        truth = [belief_tracker(facts) for _, facts in tests]
        said = {"trained model": answers(model, [w for w, _ in tests]),
                "belief tracker": [belief_tracker(f) for _, f in tests],
                "reality": [reality(f) for _, f in tests]}
        table[variant] = {name: torch.tensor([x == t for x, t in zip(guess, truth)],
                                             dtype=torch.float64)
                          for name, guess in said.items()}
    return table


def names_first(model, n: int = 200, seed: int = 1) -> dict:
    """How often the model names the container the object was put in first, on the
    same stories as accuracy_table: {variant: per-story 0/1 tensor}."""
    rng = random.Random(seed)
    shares = {}
    for variant in VARIANTS:
        tests = [story(rng, variant) for _ in range(n)]
        said = answers(model, [w for w, _ in tests])
        shares[variant] = torch.tensor([x == f["first"] for x, (_, f) in zip(said, tests)],
                                       dtype=torch.float64)
    return shares


def show(table) -> None:
    names = list(next(iter(table.values())))
    print(f"{'stories (n = 200 each)':<24}" + "".join(f"{name:>24}" for name in names))
    for variant, row in table.items():
        cells = [f"{s.mean():.0%} [{interval(s)[0]:.0%}, {interval(s)[1]:.0%}]"
                 for s in row.values()]
        print(f"{variant:<24}" + "".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    # --8<-- [start:main]
    example, _ = story(random.Random(3))
    print(" ".join(example))
    model = train(variants=("standard",))
    table = accuracy_table(model)
    show(table)
    first = names_first(model)
    print("the trained model names the first container: "
          + ", ".join(f"{variant} {x.mean():.0%}" for variant, x in first.items()))
    # --8<-- [end:main]
