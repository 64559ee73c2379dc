"""Asking versus looking: what the tiny model's answer says it is about, and what its insides
show drove it.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above.
"""

import math
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained
from tinylm.evaluate import completes

CITIES = [c for c, _ in corpus.VALUES["city"]]
LINES = ["no line", "X lives in X's city", "X lives in another city", "X has X's pet"]


def first(tokenizer, text: str) -> int:
    return tokenizer.encode(text)[0]


def wilson(k: int, n: int, z: float = 1.96) -> str:
    """k of n with a 95% interval for the share (Wilson's score interval)."""
    share = k / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return f"{k} ({share:.2f} [{max(0, centre - half):.2f}, {min(1, centre + half):.2f}])"


# --8<-- [start:prompts]
def prompts(tokenizer, kind: str):
    """One unrelated line about a person X, then a question about Y, for every Y that the
    chat asked about in training and every X whose city differs from Y's:
        "Bruno lives in Kyoto.\\nQ: Where does Ana live?\\nA:"
    "another city": the line states a city that is neither X's nor Y's."""
    rows = []
    for y in corpus.QA_PEOPLE:
        for x in corpus.PEOPLE:
            if kind == "no line" and rows and rows[-1][1] is y:
                continue  # without a line, one prompt per Y is enough
            if x is y or first(tokenizer, " " + x.city) == first(tokenizer, " " + y.city):
                continue
            stated = x.city
            if kind == "X lives in another city":
                stated = next(c for c in CITIES if first(tokenizer, " " + c) not in
                              (first(tokenizer, " " + x.city), first(tokenizer, " " + y.city)))
            line = {"no line": "",
                    "X lives in X's city": f"{x.name} lives in {x.city}.\n",
                    "X lives in another city": f"{x.name} lives in {stated}.\n",
                    "X has X's pet": corpus.fact(x, "pet") + "\n"}[kind]
            rows.append((x, y, stated, line + corpus.question(y, "city")))
    return rows
# --8<-- [end:prompts]


# --8<-- [start:ask]
def ask(model, tokenizer, rows):
    """What the model says: whether its answer begins " Ana lives in" (it names the person
    asked about, as the chat format taught it), and the city token that follows."""
    names_y = completes(model, tokenizer, [r[3] for r in rows],
                        [f" {r[1].name} lives in" for r in rows])
    ids = [tokenizer.encode(f"{r[3]} {r[1].name} lives in") for r in rows]
    longest = max(len(i) for i in ids)
    batch = torch.tensor([i + [0] * (longest - len(i)) for i in ids])
    last = torch.tensor([len(i) - 1 for i in ids])
    with torch.no_grad():
        city = model(batch)[torch.arange(len(ids)), last].argmax(-1)  # [n]
    return names_y, city.tolist()
# --8<-- [end:ask]


# --8<-- [start:look]
def restored_by_occluding(model, tokenizer, texts, targets, positions):
    """Replace the input tokens at `positions` (one list per text) by the average token,
    and report, per text, whether the next token becomes `targets` (Y's own city)."""
    ids = [tokenizer.encode(t) for t in texts]
    longest = max(len(i) for i in ids)
    batch = torch.tensor([i + [0] * (longest - len(i)) for i in ids])  # padded on the right
    last = torch.tensor([len(i) - 1 for i in ids])
    x = model.token_embedding(batch).detach().clone()  # [n, t, d]
    for row, where in enumerate(positions):
        x[row, where] = model.token_embedding.weight.mean(0).detach()  # an "average token"
    with torch.no_grad():
        x = x + model.position_embedding(torch.arange(longest))
        for block in model.blocks:
            x = block(x)
        answer = model.head(model.final_norm(x[torch.arange(len(ids)), last])).argmax(-1)
    return (answer == torch.tensor(targets)).tolist()
# --8<-- [end:look]


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()
    print("a line about person X, then 'Q: Where does Y live?' (Y asked about in training)")
    print(f"{'line before the question':24} {'n':>4} {'names Y':>8} {'Y city':>7}"
          f" {'X city (share, 95% interval)':>30} {'line city':>9}")
    misled = []  # answers that name Y but give X's city
    for kind in LINES:
        rows = prompts(tokenizer, kind)
        names_y, city = ask(model, tokenizer, rows)
        own = [c == first(tokenizer, " " + r[1].city) for c, r in zip(city, rows)]
        of_x = [c == first(tokenizer, " " + r[0].city) for c, r in zip(city, rows)]
        of_line = [c == first(tokenizer, " " + r[2]) for c, r in zip(city, rows)]
        print(f"{kind:24} {len(rows):4} {sum(names_y):8} {sum(own):7}"
              f" {wilson(sum(of_x), len(rows)):>30}"
              f" {sum(of_line) if kind == 'X lives in another city' else '':>9}")
        misled += [r for r, n, x in zip(rows, names_y, of_x) if n and x]
    print(f"\n{len(misled)} answers say 'Y lives in' and give X's city. Looking inside:")
    texts, n = [f"{r[3]} {r[1].name} lives in" for r in misled], len(misled)
    targets = [first(tokenizer, " " + r[1].city) for r in misled]
    name = [list(range(len(tokenizer.encode(r[0].name)))) for r in misled]  # X's name
    line = [len(tokenizer.encode(r[3].split("\n")[0])) for r in misled]  # its tokens
    rest = [list(range(len(n), end)) for n, end in zip(name, line)]  # the line but the name
    by_name = restored_by_occluding(model, tokenizer, texts, targets, name)
    by_rest = restored_by_occluding(model, tokenizer, texts, targets, rest)
    print(f"    hiding X's name in the line gives Y's own city back in {wilson(sum(by_name), n)}")
    print(f"    hiding the rest of the line instead gives it back in   {wilson(sum(by_rest), n)}")
    # --8<-- [end:main]
