"""Hallucination, measured: the tiny model writes about people, each text is split
into atomic facts, and each fact is checked against the world the corpus describes
(a FActScore-like supported share). People it read about beside people it never
saw: it writes about both just as fluently.

Needs the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import math
import re
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

STRANGERS = ["Quinn", "Mira", "Pablo", "Sven", "Kofi", "Eva", "Tomas", "Noor"]  # unseen


# --8<-- [start:write]
@torch.no_grad()
def write(model, tokenizer, name: str, k: int, steps: int = 30, seed: int = 0):
    """k texts sampled (temperature 1) after the prompt `name`, each cut at its first
    newline: one short paragraph about that person. Also, per text, the mean probability
    the model gave the tokens it kept (those before the newline): how sure it sounded."""
    generator = torch.Generator().manual_seed(seed)
    prompt = tokenizer.encode(name)
    ids = torch.tensor([prompt] * k)  # [k, prompt]
    cache, probabilities = model.new_cache(), []
    logits = model(ids, cache=cache)[:, -1]  # [k, vocab]
    for _ in range(steps):
        p = logits.softmax(-1)
        chosen = torch.multinomial(p, 1, generator=generator)  # [k, 1]
        probabilities.append(p.gather(1, chosen))
        ids = torch.cat([ids, chosen], 1)
        logits = model(chosen, cache=cache)[:, -1]
    texts, sureness = [], []
    for row, p in zip(ids[:, len(prompt):].tolist(), torch.cat(probabilities, 1)):
        kept = next((i for i, t in enumerate(row) if "\n" in tokenizer.decode([t])), len(row))
        texts.append(name + tokenizer.decode(row[:kept]))
        sureness.append(p[:kept].mean().item() if kept else float("nan"))
    return texts, sureness
# --8<-- [end:write]


# --8<-- [start:check]
def patterns():
    """A regular expression per (attribute, English template), capturing the subject
    and the value: "(Ana|She) lives in (Lisbon)."."""
    found = []
    for attribute, templates in corpus.ENGLISH.items():
        values = "|".join(v for v, _ in corpus.VALUES[attribute])
        for template in templates:
            regex = re.escape(template).replace(r"\{s\}", r"(\w+)").replace(
                r"\{p\}", r"(\w+?)(?:'s)?").replace(r"\{v\}", f"({values})")
            found.append((attribute, re.compile(regex)))
    return found


PATTERNS = patterns()
PRONOUNS = {"She", "He", "Her", "His"}


def atomic_facts(text: str, subject: str) -> list[tuple[str, str, str]]:
    """Split a text into sentences, each one fact: (who, attribute, value). A pronoun
    refers to the person the text is about."""
    facts = []
    for sentence in re.findall(r"[^.]+\.", text):
        for attribute, pattern in PATTERNS:
            match = pattern.fullmatch(sentence.strip())
            if match:
                who = match.group(1)
                facts.append((subject if who in PRONOUNS else who, attribute, match.group(2)))
                break
    return facts


def supported(fact) -> bool | None:
    """True or False for a fact about a person of the world; None for a stranger:
    the knowledge source says nothing about them, so nothing about them is supported."""
    who, attribute, value = fact
    known = {p.name: p for p in corpus.PEOPLE}
    return known[who].value(attribute) == value if who in known else None
# --8<-- [end:check]


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    model, tokenizer = load_pretrained()
    model = model.double()  # sampling amplifies last-bit differences: float64
    K = 5  # texts per person
    results = {}
    for group, names in [("people it read about", [p.name for p in corpus.PEOPLE]),
                         ("people it never saw", STRANGERS)]:
        facts, sureness = [], []
        for i, name in enumerate(names):
            texts, sure = write(model, tokenizer, name, K, seed=i)
            facts += [f for t in texts for f in atomic_facts(t, name)]
            sureness.append(sum(sure) / len(sure))  # this name's mean over its texts
            if name in ("Ana", "Quinn"):
                print(f"  {texts[0]!r}")
        about = [supported(f) for f in facts if f[0] in names]  # facts about the subject
        right = sum(a is True for a in about)
        sure = torch.tensor(sureness, dtype=torch.float64)  # one number per name
        half_sure = 1.96 * sure.std().item() / math.sqrt(len(sure))  # 95%, over names
        results[group] = (len(names) * K, len(facts), len(about), right,
                          sure.mean().item(), half_sure)
        print(f"{group}: {len(names) * K} texts, {len(facts) / (len(names) * K):.1f} facts "
              f"per text, mean probability of the kept tokens {sure.mean():.2f} ± "
              f"{half_sure:.2f} (over {len(names)} names; per name {sure.min():.2f}-"
              f"{sure.max():.2f})")
        share = right / len(about)
        half = 1.96 * math.sqrt(share * (1 - share) / len(about))  # 95%, normal approx.
        interval = f"({share:.0%} ± {half:.0%})" if right else "(the world has no such people)"
        print(f"  facts about the person: {len(about)}, supported by the world: {right} "
              + interval)
    # --8<-- [end:main]
