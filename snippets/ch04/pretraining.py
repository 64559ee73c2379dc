"""Stage 1, pretraining: what next-token prediction on raw text gave the book's tiny
model.

Needs the book's tiny language model, the package snippets/tinylm/ (chapter 6).
Chapter 6 trains it; here we load its committed weights and compare them with the
same network before training, so nothing is trained twice."""

import math
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import TinyLM, corpus, generate, load_pretrained
from tinylm.evaluate import knowledge, log_likelihood


# --8<-- [start:measure]
def perplexity(model, tokenizer, documents: list[str]) -> float:
    """exp(mean negative log-probability per predicted token): how many tokens the
    model is, in effect, choosing among at each step. A uniform guess over V tokens
    scores V."""
    texts = [d + "\n" for d in documents]
    predicted = sum(len(tokenizer.encode(t)) - 1 for t in texts)
    return math.exp(-sum(log_likelihood(model, tokenizer, texts)) / predicted)


@torch.no_grad()
def token_log_likelihood(model, ids: list[list[int]]) -> torch.Tensor:
    """log p of each sequence's tokens after its first; the sequences have equal
    lengths."""
    batch = torch.tensor(ids)  # [n, t]
    log_p = model(batch[:, :-1]).log_softmax(-1)  # [n, t - 1, vocab]
    return log_p.gather(2, batch[:, 1:, None]).sum((1, 2))  # [n]


def prefers_real_order(model, tokenizer, sentences: list[str], seed: int = 0) -> float:
    """Knowledge of language: the share of sentences that the model finds more
    likely than the very same tokens in a random order (the first token stays
    first)."""
    generator = torch.Generator().manual_seed(seed)
    wins = []
    for sentence in sentences:
        ids = tokenizer.encode(sentence)
        order = torch.randperm(len(ids) - 1, generator=generator).tolist()
        shuffled = [ids[0]] + [ids[1:][i] for i in order]
        real, scrambled = token_log_likelihood(model, [ids, shuffled])
        wins.append(bool(real > scrambled))
    return sum(wins) / len(wins)


# --8<-- [end:measure]


if __name__ == "__main__":
    # --8<-- [start:main]
    pretrained, tokenizer = load_pretrained()
    torch.manual_seed(0)
    untrained = TinyLM(pretrained.config).eval()  # the same network before any training

    held_out = corpus.held_out_documents()  # fresh text, none of it in the training text
    english = [d for d in held_out if d.isascii() and not d.startswith("Q:")][:100]
    print(f"{'':32}{'untrained':>10}{'pretrained':>12}")
    rows = {
        "held-out perplexity": [
            perplexity(m, tokenizer, held_out) for m in (untrained, pretrained)
        ],
        "real token order preferred": [
            prefers_real_order(m, tokenizer, english) for m in (untrained, pretrained)
        ],
    }
    known = [knowledge(m, tokenizer) for m in (untrained, pretrained)]
    rows["English facts completed"] = [k["facts_en"] for k in known]
    rows["Chinese facts: true one likeliest"] = [k["facts_zh"] for k in known]
    rows["questions, people asked about"] = [k["qa_seen"] for k in known]
    rows["questions, people only read about"] = [k["qa_unseen"] for k in known]
    for name, (before, after) in rows.items():
        form = "{:>10.1f}{:>12.2f}" if "perplexity" in name else "{:>10.0%}{:>12.0%}"
        print(f"{name:<32}" + form.format(before, after))

    zane = corpus.person("Zane")
    for prompt in ["Zane works as a", "Zane", corpus.question(zane, "job")]:
        print(f"{prompt!r}:")
        for name, model in [("untrained", untrained), ("pretrained", pretrained)]:
            print(f"  {name:>10} -> {generate(model, tokenizer, prompt, 16)!r}")
    print(f"(the truth: {corpus.fact(zane, 'job')!r})")
    # --8<-- [end:main]
