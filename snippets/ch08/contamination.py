"""Contamination: half of a benchmark's items leak into a short continued training of
the tiny model. Their score rises; n-gram overlap with the training text and the
model's own likelihood of them (Min-K% probability) each tell which items leaked.

Needs score_noise.py beside it (the chapter's interval rule) and the package
snippets/tinylm/ (chapter 6's model and its committed weights), in the folder above.
"""

import copy
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from score_noise import interval
from tinylm import corpus, load_pretrained
from tinylm.evaluate import completes

STEPS, BATCH, LEAKED_PER_BATCH = 30, 16, 6


# --8<-- [start:leak]
def benchmark() -> list[tuple[str, str]]:
    """Questions about the people the model never saw asked about, in English and in
    Chinese, with their answers: 8 people x 4 attributes x 2 languages."""
    return [(corpus.question(p, a, language), corpus.answer(p, a, language))
            for p in corpus.HELD_OUT_PEOPLE for a in corpus.ATTRIBUTES
            for language in ("en", "zh")]


def continue_training(model, tokenizer, leaked: list[str], seed: int = 0):
    """A short continued pretraining on the usual text, with `leaked` texts mixed into
    every batch, as a crawl that happened to contain the test set would."""
    rng = random.Random(seed)
    documents = corpus.training_documents()
    model = copy.deepcopy(model).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.0)
    for _ in range(STEPS):
        texts = rng.sample(documents, BATCH - LEAKED_PER_BATCH)
        texts += rng.sample(leaked, LEAKED_PER_BATCH)
        rows = [tokenizer.encode(t + "\n")[: model.config.context + 1] for t in texts]
        longest = max(map(len, rows))
        ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])  # [16, longest]
        mask = torch.tensor([[1.0] * (len(r) - 1) + [0.0] * (longest - len(r))
                             for r in rows])  # [16, longest - 1]: real tokens only
        per_token = F.cross_entropy(model(ids[:, :-1]).transpose(1, 2), ids[:, 1:],
                                    reduction="none")
        loss = (per_token * mask).sum() / mask.sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()
# --8<-- [end:leak]


# --8<-- [start:detect]
def ngrams(text: str, n: int = 10) -> set[str]:
    """Every run of n characters (characters, not words: Chinese has no spaces)."""
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def ngram_overlap(item: str, training_ngrams: set, n: int = 10) -> float:
    """The share of the item's n-grams that occur in the training text (GPT-3's
    authors ran this check with 13-word n-grams): needs the training data."""
    grams = ngrams(item, n)
    return len(grams & training_ngrams) / len(grams)


@torch.no_grad()
def min_k_probability(model, tokenizer, texts: list[str], k: float = 0.2) -> list[float]:
    """Min-K% probability (Shi et al.): the mean log-probability of the k share of a
    text's tokens that the model found least likely. Needs only the model."""
    scores = []
    for text in texts:
        ids = torch.tensor([tokenizer.encode(text)])  # [1, t]
        log_p = model(ids[:, :-1]).log_softmax(-1)  # [1, t - 1, vocab]
        per_token = log_p.gather(2, ids[:, 1:, None])[0, :, 0]  # [t - 1]
        lowest = per_token.sort().values[: max(1, int(k * len(per_token)))]
        scores.append(lowest.mean().item())
    return scores


def auroc(positives: list[float], negatives: list[float]) -> float:
    """The chance that a random leaked item scores above a random clean one (ties
    count half): 1 is a perfect detector, 0.5 a coin."""
    p, n = torch.tensor(positives)[:, None], torch.tensor(negatives)[None, :]
    return ((p > n).double() + 0.5 * (p == n).double()).mean().item()


def auroc_interval(positives, negatives, resamples: int = 2000, seed: int = 0):
    """The chapter's bootstrap, redrawing the leaked and the clean items separately."""
    generator = torch.Generator().manual_seed(seed)
    p = torch.tensor(positives, dtype=torch.float64)
    n = torch.tensor(negatives, dtype=torch.float64)
    pick_p = p[torch.randint(len(p), (resamples, len(p)), generator=generator)]
    pick_n = n[torch.randint(len(n), (resamples, len(n)), generator=generator)]
    above = pick_p[:, :, None] - pick_n[:, None, :]  # [resamples, leaked, clean]
    values = ((above > 0).double() + 0.5 * (above == 0).double()).mean((1, 2))
    low, high = values.quantile(torch.tensor([0.025, 0.975], dtype=torch.float64))
    return low.item(), high.item()
# --8<-- [end:detect]


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    model, tokenizer = load_pretrained()
    items = benchmark()
    texts = [q + a for q, a in items]
    is_leaked = [False] * len(items)
    for i in random.Random(0).sample(range(len(items)), len(items) // 2):
        is_leaked[i] = True  # half the items, drawn at random, leak
    print(f"{len(items)} test items, {sum(is_leaked)} leaked, e.g. {texts[0]!r}")
    contaminated = continue_training(model, tokenizer,
                                     [t for t, x in zip(texts, is_leaked) if x])

    def score(m):  # 1 where greedy decoding writes exactly the right answer
        return torch.tensor(completes(m, tokenizer, [q for q, _ in items],
                                      [a + "\n" for _, a in items]), dtype=torch.float64)

    for name, m in [("before", model), ("after", contaminated)]:
        s = score(m)
        leaked_s = s[torch.tensor(is_leaked)]
        clean_s = s[~torch.tensor(is_leaked)]
        print(f"{name:>6} the continued training: leaked items {leaked_s.mean():.0%} "
              f"[{interval(leaked_s)[0]:.0%}, {interval(leaked_s)[1]:.0%}], clean items "
              f"{clean_s.mean():.0%} [{interval(clean_s)[0]:.0%}, "
              f"{interval(clean_s)[1]:.0%}]")

    seen = corpus.training_documents() + [t for t, x in zip(texts, is_leaked) if x]
    training_ngrams = set().union(*(ngrams(d) for d in seen))
    detectors = {
        "10-character overlap with the training text": [
            ngram_overlap(t, training_ngrams) for t in texts],
        "Min-20% probability, model before": min_k_probability(model, tokenizer, texts),
        "Min-20% probability, model after": min_k_probability(contaminated, tokenizer,
                                                              texts),
    }
    results = {}
    for name, values in detectors.items():
        leaked_v = [v for v, x in zip(values, is_leaked) if x]
        clean_v = [v for v, x in zip(values, is_leaked) if not x]
        results[name] = (auroc(leaked_v, clean_v), auroc_interval(leaked_v, clean_v))
        low, high = results[name][1]
        print(f"AUROC {results[name][0]:.2f} [{low:.2f}, {high:.2f}]  {name}")
    # --8<-- [end:main]
