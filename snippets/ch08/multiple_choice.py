"""A multiple-choice benchmark from the tiny model's world, scored four ways: by the
likelihood of each option, with and without the options in the prompt, by the
probability of each option's letter, and by parsing the answer the model writes.
Every one of the 24 orderings of the options is tried, to measure position bias and to
average it away.

Needs score_noise.py beside it (the chapter's interval rule) and the package
snippets/tinylm/ (chapter 6's model and its committed weights), in the folder above.
"""

import dataclasses
import itertools
import math
import random
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from score_noise import difference, interval
from tinylm import corpus, load_pretrained
from tinylm.evaluate import log_likelihood

LETTERS = "abcd"
ORDERINGS = list(itertools.permutations(range(4)))  # 24


# --8<-- [start:benchmark]
@dataclasses.dataclass
class Item:
    person: corpus.Person
    attribute: str
    options: list[str]  # four values, the right one among them, in a fixed order

    @property
    def right(self) -> int:
        return self.options.index(self.person.value(self.attribute))

    def question(self) -> str:
        return corpus.QUESTIONS["en"][self.attribute].format(n=self.person.name)

    def lettered(self, order) -> str:
        """The prompt with lettered options: "Q: Where does Ana live?\\na) Dakar
        b) Kyoto c) Lisbon d) Quito\\nA:"."""
        options = " ".join(f"{LETTERS[k]}) {self.options[i]}" for k, i in enumerate(order))
        return f"Q: {self.question()}\n{options}\nA:"

    def listed(self, order) -> str:
        """The prompt with the options listed, then the answer's opening words:
        "Q: Where does Ana live?\\nDakar, Kyoto, Lisbon or Quito\\nA: Ana lives in"."""
        names = [self.options[i] for i in order]
        start, _ = corpus.fact_prompt(self.person, self.attribute)
        return (f"Q: {self.question()}\n{', '.join(names[:3])} or {names[3]}\n"
                f"A: {start}")


def benchmark(seed: int = 0) -> list[Item]:
    """Every fact of the world as a question with the truth and 3 other values."""
    rng = random.Random(seed)
    items = []
    for person in corpus.PEOPLE:
        for attribute in corpus.ATTRIBUTES:
            others = [v for v, _ in corpus.VALUES[attribute] if v != person.value(attribute)]
            options = sorted(rng.sample(others, 3) + [person.value(attribute)])
            items.append(Item(person, attribute, options))
    return items
# --8<-- [end:benchmark]


# --8<-- [start:scorers]
def by_likelihood(model, tokenizer, items) -> torch.Tensor:
    """Cloze scoring: the option whose full sentence ("Ana lives in Lisbon.") is most
    likely. The options are never shown, so their order cannot matter. [n] of 0/1."""
    sentences = [corpus.fact(dataclasses.replace(it.person, **{it.attribute: o}),
                             it.attribute) for it in items for o in it.options]
    scores = torch.tensor(log_likelihood(model, tokenizer, sentences)).view(-1, 4)
    return (scores.argmax(1) == torch.tensor([it.right for it in items])).double()


@torch.no_grad()
def next_token_scores(model, rows: list[list[int]]) -> torch.Tensor:
    """The log-probabilities of the token after each row of token ids: [n, vocab].
    Rows are padded on the right; attention is causal, so padding is never read."""
    longest = max(map(len, rows))
    ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])  # [n, longest]
    last = torch.tensor([len(r) - 1 for r in rows])
    return model(ids)[torch.arange(len(rows)), last].log_softmax(-1)  # [n, vocab]


def ordering_scores(model, tokenizer, items, form: str):
    """For every item and every ordering, the log-probability the model gives each
    option (by its place in that ordering): [n, 24, 4]. form "lettered": the
    option's letter after "A:"; form "listed": the option's word after the answer's
    opening words."""
    prompts = [getattr(it, form)(order) for it in items for order in ORDERINGS]
    rows = [tokenizer.encode(p) for p in prompts]
    log_p = next_token_scores(model, rows).view(len(items), 24, -1)
    token = {s: tokenizer.encode(" " + s)[0]  # the first token of " a", " Lisbon"...
             for s in set(LETTERS) | {o for it in items for o in it.options}}
    out = torch.zeros(len(items), 24, 4)
    for n, it in enumerate(items):
        for k, order in enumerate(ORDERINGS):
            shown = LETTERS if form == "lettered" else [it.options[i] for i in order]
            out[n, k] = log_p[n, k, [token[s] for s in shown]]
    return out


def gold_place(items) -> torch.Tensor:
    """Where the right option stands in each ordering: [n, 24]."""
    return torch.tensor([[order.index(it.right) for order in ORDERINGS] for it in items])


def permutation_average(scores, items) -> torch.Tensor:
    """Debiasing: average each option's probability over all 24 orderings, wherever
    it stood, then pick the most probable: [n] of 0/1."""
    by_option = torch.zeros(len(items), 4)
    for k, order in enumerate(ORDERINGS):
        for place, i in enumerate(order):
            by_option[:, i] += scores[:, k, place].exp() / 24
    return (by_option.argmax(1) == torch.tensor([it.right for it in items])).double()


def greedy(model, tokenizer, prompts: list[str], n_tokens: int = 8) -> list[str]:
    """Greedy generation for many prompts at once: the text each writes, up to its
    first newline."""
    starts = [tokenizer.encode(p) for p in prompts]
    rows = [list(r) for r in starts]
    for _ in range(n_tokens):
        chosen = next_token_scores(model, rows).argmax(-1).tolist()  # [n]
        rows = [r + [t] for r, t in zip(rows, chosen)]
    return [tokenizer.decode(r[len(s):]).split("\n")[0] for r, s in zip(rows, starts)]


def parsed(model, tokenizer, items) -> tuple[torch.Tensor, torch.Tensor]:
    """Generate an answer to each lettered prompt (in the 4 orderings that rotate the
    options) and parse it. Letter parser: the answer is the right letter alone.
    Content parser: the answer names the right option and no other. [n, 4] of 0/1."""
    rotations = [tuple((i + k) % 4 for i in range(4)) for k in range(4)]
    prompts = [it.lettered(order) for it in items for order in rotations]
    written = greedy(model, tokenizer, prompts)
    letter, content = [], []
    for k, text in enumerate(written):
        it, order = items[k // 4], rotations[k % 4]
        letter.append(text.strip(" .") == LETTERS[order.index(it.right)])
        named = [o for o in it.options if o in text.replace(".", " ").split()]
        content.append(named == [it.options[it.right]])
    shape = (len(items), 4)
    return (torch.tensor(letter).double().view(shape),
            torch.tensor(content).double().view(shape))
# --8<-- [end:scorers]


def show(name, right) -> None:
    """right: [n] or [n, 24] of 0/1; the interval redraws items (a bootstrap over the
    96 questions, each with its orderings)."""
    per_item = right.mean(1) if right.dim() == 2 else right
    low, high = interval(per_item)
    print(f"{name:<46} {per_item.mean():6.1%}  [{low:.1%}, {high:.1%}]")


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    items = benchmark()
    print(f"{len(items)} questions x {len(ORDERINGS)} orderings; e.g.")
    print(items[0].lettered(ORDERINGS[0]))
    print(items[0].listed(ORDERINGS[0]))

    print(f"{'scoring':<46} {'accuracy':>7}  95% interval")
    cloze = by_likelihood(model, tokenizer, items)
    show("likelihood of each option's sentence", cloze)
    listed = ordering_scores(model, tokenizer, items, "listed")
    listed_right = (listed.argmax(-1) == gold_place(items)).double()  # [n, 24]
    show("likelihood of each option, options listed", listed_right)
    show("  ... averaged over the 24 orderings", permutation_average(listed, items))
    lettered = ordering_scores(model, tokenizer, items, "lettered")
    letter_right = (lettered.argmax(-1) == gold_place(items)).double()
    show("probability of each option's letter", letter_right)
    show("  ... averaged over the 24 orderings", permutation_average(lettered, items))
    letter, content = parsed(model, tokenizer, items)
    show("generated answer, parsed for a letter", letter)
    show("generated answer, parsed for an option's name", content)
    example = items[0].lettered(ORDERINGS[0])
    print(f"e.g. {example[-22:]!r} -> {greedy(model, tokenizer, [example])[0]!r}")

    print("accuracy by where the right option stands: first, second, third, fourth")
    place = gold_place(items)
    for name, right in [("options listed", listed_right), ("letters", letter_right)]:
        by_place = [right[place == k].mean().item() for k in range(4)]
        print(f"  {name:<15}" + "".join(f"{x:8.1%}" for x in by_place))
    chosen = [(lettered.argmax(-1) == k).double().mean().item() for k in range(4)]
    print("letters: the model answers a, b, c, d in "
          + ", ".join(f"{c:.1%}" for c in chosen) + " of all 2,304 prompts")
    first = (listed_right * (place == 0)).sum(1) / 6  # per item: right when listed first
    rest = (listed_right * (place != 0)).sum(1) / 18  # ... and when listed elsewhere
    low, high = difference(first, rest)
    print(f"options listed: listed first minus elsewhere {(first - rest).mean():+.1%} "
          f"[{low:+.1%}, {high:+.1%}]")
    low, high = difference(listed_right.mean(1), cloze)
    print(f"options listed minus options hidden {(listed_right.mean(1) - cloze).mean():+.1%} "
          f"[{low:+.1%}, {high:+.1%}]")
    # letters, averaged: how much of the averaged probability goes to the right option
    averaged = torch.zeros(len(items), 4)
    for k, order in enumerate(ORDERINGS):
        for where, i in enumerate(order):
            averaged[:, i] += lettered[:, k, where].exp()
    share = averaged[range(len(items)), [it.right for it in items]] / averaged.sum(1)
    low, high = interval(share)
    print(f"letters, averaged: the right option's share of the probability {share.mean():.1%} "
          f"[{low:.1%}, {high:.1%}]")
    hits = int(permutation_average(lettered, items).sum())
    tail = sum(math.comb(96, k) * 0.25**k * 0.75**(96 - k) for k in range(hits + 1))
    print(f"  right {hits} of 96 where chance expects 24; a four-sided coin does this "
          f"badly or worse with probability {tail:.1%}")
    # --8<-- [end:main]
