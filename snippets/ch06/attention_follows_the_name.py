"""A control for the heatmap: does attention follow the name, or position 0?

Needs the package snippets/tinylm/ (this chapter's model and its committed weights),
in the folder above. In "Ana lives in Lisbon. She is a nurse." the name is also the
first token, where models put weight anyway (an "attention sink"). So we swap the
name for each of the 24 people, and move it: another person's sentence comes first,
so that position 0 holds the wrong name. If attention follows the name, the weight
and the prediction move with it.
"""

import math
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained


def paragraph(person) -> str:
    """'Ana lives in Lisbon. She is a nurse. Her pet is a cat.', for anyone."""
    she, her = {"she": ("She", "Her"), "he": ("He", "His")}[person.pronoun]
    return (f"{person.name} lives in {person.city}. {she} is a {person.job}. "
            f"{her} pet is a {person.pet}.")


def texts(moved: bool) -> list[tuple]:
    """(first person or None, the person described): the name at position 0, or
    after a sentence about someone else."""
    if not moved:
        return [(None, p) for p in corpus.PEOPLE]
    return [(q, p) for p in corpus.PEOPLE for q in corpus.PEOPLE if q != p]


# --8<-- [start:measure]
@torch.no_grad()
def measure(model, tokenizer, moved: bool) -> list[dict]:
    """At each ' a' (before the job and before the pet): the predicted word, and
    the last layer's weight on the described person's name and on the first
    person's name, averaged over the heads."""
    cases, rows = texts(moved), []
    for first, person in cases:
        before = f"{first.name} lives in {first.city}.\n" if first else ""
        ids = tokenizer.encode(before + paragraph(person))
        name = range(len(tokenizer.encode(before)), len(tokenizer.encode(before + person.name)))
        first_name = range(len(tokenizer.encode(first.name))) if first else range(0)
        rows.append((ids, name, first_name))
    longest = max(len(ids) for ids, _, _ in rows)
    batch = torch.tensor([ids + [0] * (longest - len(ids)) for ids, _, _ in rows])
    predicted = model(batch).argmax(-1)  # [n, longest]; padding only after the text
    weights = model.blocks[-1].attention.weights.mean(1)  # [n, t, t]: over heads
    results = []
    for i, ((first, person), (ids, name, first_name)) in enumerate(zip(cases, rows)):
        queries = [j for j, token in enumerate(ids) if tokenizer.decode([token]) == " a"]
        for query, attribute in zip(queries, ("job", "pet")):
            results.append({
                "predicted": tokenizer.decode([int(predicted[i, query])]).strip(),
                "value": person.value(attribute),
                "first's value": first.value(attribute) if first else None,
                "on the name": weights[i, query, list(name)].sum().item(),
                "on the first name": weights[i, query, list(first_name)].sum().item(),
            })
    return results
# --8<-- [end:measure]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval for a share of k out of n."""
    middle, spread = k + z * z / 2, z * math.sqrt(k * (n - k) / n + z * z / 4)
    return (middle - spread) / (n + z * z), (middle + spread) / (n + z * z)


def share(hits: list[bool]) -> str:
    low, high = wilson(sum(hits), len(hits))
    return f"{sum(hits) / len(hits):.0%} [{low:.0%}, {high:.0%}] of {len(hits)}"


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    results = {moved: measure(model, tokenizer, moved) for moved in (False, True)}
    print("at each ' a' of the paragraph; the last layer's weight, averaged over heads")
    for moved, rows in results.items():
        where = "after a sentence about another person" if moved else "first, at position 0"
        print(f"the name {where} ({len(rows)} predictions):")
        print("  predicts the named person's job or pet: "
              + share([r["predicted"] == r["value"] for r in rows]))
        on_name = sum(r["on the name"] for r in rows) / len(rows)
        print(f"  mean weight on the name: {on_name:.2f}")
        if moved:
            differs = [r for r in rows if r["first's value"] != r["value"]]
            print("  predicts the first person's instead (where it differs): "
                  + share([r["predicted"] == r["first's value"] for r in differs]))
            on_first = sum(r["on the first name"] for r in rows) / len(rows)
            print(f"  mean weight on the first person's name, at position 0: {on_first:.2f}")
    # --8<-- [end:main]
