"""Linear probes, layer by layer: where does the tiny model hold the value it is about to say?

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above.
"""

import random
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

CONTEXTS = 6  # each prompt alone, and after 5 different unrelated lines
LAYERS = ["embedding", "block 1", "block 2"]


# --8<-- [start:data]
def probing_data(model, tokenizer, seed: int = 0):
    """The last position's vector at every depth, for every person, attribute and
    context: "Ana lives in", or an unrelated line of text, a newline, then "Ana lives in".
    Returns the vectors [depths, n, d_model] and, for each row, (person, attribute, context)."""
    rng = random.Random(seed)
    lines = [d for d in corpus.held_out_documents() if "\n" not in d and len(d) < 60]
    rows, texts = [], []
    for i, person in enumerate(corpus.PEOPLE):
        for attribute in corpus.ATTRIBUTES:
            prompt, _ = corpus.fact_prompt(person, attribute)  # "Ana lives in"
            for context in range(CONTEXTS):
                before = rng.choice(lines) + "\n" if context else ""
                rows.append((i, attribute, context))
                texts.append(before + prompt)
    ids = [tokenizer.encode(t) for t in texts]
    longest = max(len(x) for x in ids)
    batch = torch.tensor([x + [0] * (longest - len(x)) for x in ids])  # padded on the right
    last = torch.tensor([len(x) - 1 for x in ids])
    with torch.no_grad():
        _, hidden = model(batch, return_hidden=True)  # depths x [n, t, d_model]
    vectors = torch.stack([h[torch.arange(len(ids)), last] for h in hidden])
    return vectors, rows  # vectors: [depths, n, d_model]
# --8<-- [end:data]


# --8<-- [start:probe]
def fit_probes(x, labels, train, n_classes: int, ridge: float = 10.0):
    """Linear probes, one per row of the mask `train` [probes, n], each fitted on its own
    rows: standardise the vectors, then fit one weight vector per class by least squares
    (with a ridge penalty) to one-hot labels. Returns each probe's class for every row."""
    w = train.to(x.dtype)[..., None]  # [probes, n, 1]: 1 for a training row
    mean = (w * x).sum(1, keepdim=True) / w.sum(1, keepdim=True)  # [probes, 1, d]
    std = ((w * (x - mean) ** 2).sum(1, keepdim=True) / w.sum(1, keepdim=True)).sqrt()
    x1 = F.pad((x - mean) / (std + 1e-6), (0, 1), value=1.0)  # [probes, n, d + 1]: a bias
    targets = F.one_hot(labels, n_classes).to(x.dtype)  # [n, classes]
    gram = (w * x1).transpose(1, 2) @ x1 + ridge * torch.eye(x1.shape[-1], dtype=x.dtype)
    weights = torch.linalg.solve(gram, (w * x1).transpose(1, 2) @ targets)  # [probes, d+1, c]
    return (x1 @ weights).argmax(-1)  # [probes, n]


def probe_accuracy(x, labels, groups, test_groups) -> torch.Tensor:
    """For each group of rows in test_groups: fit on all other rows, predict that group.
    Returns whether each row was predicted right (in the rows' order)."""
    test = torch.stack([groups == g for g in test_groups])  # [probes, n]
    predicted = fit_probes(x, labels, ~test, int(labels.max()) + 1)  # [probes, n]
    return ((predicted == labels) & test).any(0)  # each row is in one test group
# --8<-- [end:probe]


# --8<-- [start:tasks]
def labels_for(rows, attribute, control: bool, seed: int = 1):
    """The task: the value of `attribute` for the row's person (Ana's city: 8 classes).
    The control task (Hewitt & Liang): each person gets the value of another person,
    drawn by a fixed random shuffle, so the labels are as many and as frequent, but they
    are arbitrary: a probe can only memorise them, person by person."""
    order = list(range(len(corpus.PEOPLE)))
    random.Random(seed).shuffle(order)
    values = [v for v, _ in corpus.VALUES[attribute]]
    owner = (lambda i: order[i]) if control else (lambda i: i)
    return torch.tensor([values.index(getattr(corpus.PEOPLE[owner(i)], attribute))
                         for i, a, _ in rows if a == attribute])


def accuracies(vectors, rows):
    """Per depth, task and split: whether each test row was right, over all attributes.
    "new contexts": trained on contexts 0-3, tested on 4-5 (the same people).
    "new people": each person tested by a probe fitted on the other 23."""
    results = {}
    for depth, name in enumerate(LAYERS):
        for control in (False, True):
            for split in ("new contexts", "new people"):
                right, people = [], []
                for attribute in corpus.ATTRIBUTES:
                    mine = [r for r in rows if r[1] == attribute]
                    x = vectors[depth][[r[1] == attribute for r in rows]]
                    labels = labels_for(rows, attribute, control)
                    person = torch.tensor([r[0] for r in mine])
                    if split == "new contexts":
                        groups = torch.tensor([int(r[2] >= 4) for r in mine])
                        right.append(probe_accuracy(x, labels, groups, [1])[groups == 1])
                        people.append(person[groups == 1])
                    else:
                        right.append(probe_accuracy(x, labels, person, range(len(corpus.PEOPLE))))
                        people.append(person)
                task = "control" if control else "task"
                results[name, task, split] = (torch.cat(right), torch.cat(people))
    return results
# --8<-- [end:tasks]


def interval(right, people, resamples: int = 1000, seed: int = 0):
    """A 95% bootstrap interval of the accuracy, resampling people (a person's rows are
    not independent of each other)."""
    g = torch.Generator().manual_seed(seed)
    n = len(corpus.PEOPLE)
    per_person = torch.stack([right[people == i].double().sum() for i in range(n)])
    counts = torch.stack([(people == i).double().sum() for i in range(n)])
    picks = torch.randint(0, n, (resamples, n), generator=g)
    shares = per_person[picks].sum(1) / counts[picks].sum(1)
    low, high = torch.quantile(shares, torch.tensor([0.025, 0.975], dtype=shares.dtype))
    return low.item(), high.item()


def ceiling() -> float:
    """The share of (person, attribute) whose value some other person shares: a probe that
    never saw a person can at best get these right."""
    shared = [sum(getattr(q, a) == getattr(p, a) for q in corpus.PEOPLE) > 1
              for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]
    return sum(shared) / len(shared)


def draw(summary, path="probing_by_layer.svg"):
    fig, axis = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    styles = {("task", "new contexts"): ("C0", "-"), ("control", "new contexts"): ("C0", ":"),
              ("task", "new people"): ("C3", "-"), ("control", "new people"): ("C3", ":")}
    for (task, split), (colour, line) in styles.items():
        points = [summary[name, task, split] for name in LAYERS]
        means = [p[0] for p in points]
        errors = [[p[0] - p[1] for p in points], [p[2] - p[0] for p in points]]
        axis.errorbar(range(len(LAYERS)), means, yerr=errors, color=colour, linestyle=line,
                      marker="o", capsize=4, label=f"{task}, {split}")
    axis.axhline(1 / 8, color="grey", linewidth=0.8)
    axis.text(2.05, 1 / 8 + 0.02, "chance", color="grey", fontsize=8)
    axis.set_xticks(range(len(LAYERS)), LAYERS)
    axis.set_ylim(0, 1.05)
    axis.set_ylabel("probe accuracy (95% interval)")
    axis.legend(fontsize=8, loc="upper left")
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()
    vectors, rows = probing_data(model, tokenizer)
    results = accuracies(vectors, rows)
    print(f"{len(rows)} prompts: 24 people x 4 attributes x {CONTEXTS} contexts;",
          "8 classes each (chance 0.125)")
    print(f"best possible on new people: {ceiling():.2f}")
    print(f"{'':10} {'split':13} {'n':>4} {'task':>17} {'control':>17} {'selectivity':>11}")
    summary = {}
    for name in LAYERS:
        for split in ("new contexts", "new people"):
            cells = []
            for task in ("task", "control"):
                right, people = results[name, task, split]
                low, high = interval(right, people)
                summary[name, task, split] = (right.double().mean().item(), low, high)
                cells.append(f"{summary[name, task, split][0]:.2f} [{low:.2f}, {high:.2f}]")
            gap = summary[name, "task", split][0] - summary[name, "control", split][0]
            print(f"{name:10} {split:13} {len(right):4} {cells[0]:>17} {cells[1]:>17}"
                  f" {gap:11.2f}")
    draw(summary)
    # --8<-- [end:main]
