"""How language models evolved: N-gram, feed-forward, RNN and Transformer, the last
grown part by part from a bigram.

Needs the package snippets/tinylm/ (this chapter's model, its tokenizer and its
committed weights), in the folder above. Every model here learns the same text, a
small part of the tiny model's corpus, so that each network can be trained twice
(two seeds) in seconds; all are measured on the same held-out documents, which
none of them trained on. The book's tiny model, trained on the whole corpus by
train_tiny_lm.py, is measured on them too.
"""

import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import MultiHeadAttention, corpus, load_pretrained
from tinylm.evaluate import perplexity

STEPS, BATCH, CONTEXT, LR, WARMUP = 80, 8, 24, 0.03, 8  # the tiny model's recipe, shorter
SEEDS = (0, 1)
N_PEOPLE = 8  # the text about the first 8 of the world's 24 people
D_MODEL = 32  # the width of the grown Transformer (the tiny model: 48)


# --8<-- [start:ngram]
class NGram:
    """Counts of which token follows each context of up to n - 1 tokens.
    Probabilities mix the orders (interpolated absolute discounting): every count
    gives up `discount`, and what is freed goes to the next shorter context's
    estimate, down to the uniform distribution."""

    START = -1  # "before the document", so that the first tokens have a context

    def __init__(self, n: int, vocab_size: int, discount: float = 0.75):
        self.n, self.vocab_size, self.discount = n, vocab_size, discount
        self.counts = defaultdict(Counter)  # context (a tuple) -> next tokens
        self.known = {}  # distributions already computed, by context

    def fit(self, documents: list[list[int]]):
        for ids in documents:
            padded = [self.START] * (self.n - 1) + ids
            for i in range(self.n - 1, len(padded)):
                for k in range(self.n):  # the contexts of length 0, 1, ..., n - 1
                    self.counts[tuple(padded[i - k : i])][padded[i]] += 1
        return self

    def distribution(self, context: tuple) -> torch.Tensor:
        if context in self.known:
            return self.known[context]
        p = torch.full((self.vocab_size,), 1 / self.vocab_size)  # [vocab]: uniform
        for k in range(self.n):  # shortest context first
            seen = self.counts.get(context[len(context) - k :] if k else ())
            if not seen:
                break  # never seen this context, so no longer one either
            total = sum(seen.values())
            counts = torch.zeros(self.vocab_size)
            counts[list(seen)] = torch.tensor(list(seen.values())).float()
            kept = (counts - self.discount).clamp(min=0) / total
            p = kept + self.discount * len(seen) / total * p  # still sums to 1
        self.known[context] = p
        return p

    def __call__(self, ids):  # ids: [batch, t] -> log-probs [batch, t, vocab]
        out = torch.empty(*ids.shape, self.vocab_size)
        for b, row in enumerate(ids.tolist()):
            padded = [self.START] * (self.n - 1) + row
            for i in range(len(row)):
                context = tuple(padded[i + 1 : i + self.n])  # n - 1 tokens
                out[b, i] = self.distribution(context).log()
        return out
# --8<-- [end:ngram]


# --8<-- [start:neural]
class FeedForward(nn.Module):
    """Reads a fixed window: the last `window` tokens' vectors, side by side."""

    def __init__(self, vocab_size: int, window=8, d=32, hidden=48):
        super().__init__()
        self.window, self.pad = window, vocab_size  # an extra id: "before the text"
        self.embedding = nn.Embedding(vocab_size + 1, d)
        self.net = nn.Sequential(
            nn.Linear(window * d, hidden), nn.ReLU(), nn.Linear(hidden, vocab_size)
        )

    def forward(self, ids):  # ids: [batch, t]
        t = ids.shape[1]
        x = self.embedding(F.pad(ids, (self.window - 1, 0), value=self.pad))
        # x: [batch, window - 1 + t, d]; position i sees rows i .. i + window - 1
        windows = torch.cat([x[:, j : j + t] for j in range(self.window)], dim=-1)
        return self.net(windows)  # [batch, t, vocab]


class RNN(nn.Module):
    """Reads a token at a time into a state: h_t = tanh(W x_t + U h_(t-1) + b)."""

    def __init__(self, vocab_size: int, d: int = 32, hidden: int = 64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d)
        self.rnn = nn.RNN(d, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, ids):  # ids: [batch, t]
        states, _ = self.rnn(self.embedding(ids))  # [batch, t, hidden]
        return self.head(states)  # [batch, t, vocab]
# --8<-- [end:neural]


# --8<-- [start:grown]
class GrownBlock(nn.Module):
    """The tiny model's block, with parts that can be left out."""

    def __init__(self, d: int, heads: int, feed_forward: bool, residual: bool, norm: bool):
        super().__init__()
        self.residual = residual
        self.norm1 = nn.LayerNorm(d) if norm else nn.Identity()
        self.attention = MultiHeadAttention(d, heads)
        self.norm2 = nn.LayerNorm(d) if norm else nn.Identity()
        self.feed_forward = (
            nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
            if feed_forward else None
        )

    def add(self, x, y):  # a residual connection adds a part's result to its input
        return x + y if self.residual else y

    def forward(self, x):  # x: [batch, t, d]
        x = self.add(x, self.attention(self.norm1(x)))
        if self.feed_forward is not None:
            x = self.add(x, self.feed_forward(self.norm2(x)))
        return x  # [batch, t, d]


class Grown(nn.Module):
    """A Transformer built up part by part. With every part in it is the tiny
    model (tinylm/model.py), with the same parameter names."""

    def __init__(self, vocab_size: int, heads: int, feed_forward=False, residual=False,
                 norm=False, d=D_MODEL, context=CONTEXT, n_layers=1):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, d)
        self.position_embedding = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(
            GrownBlock(d, heads, feed_forward, residual, norm) for _ in range(n_layers)
        )
        self.final_norm = nn.LayerNorm(d) if norm else nn.Identity()
        self.head = nn.Linear(d, vocab_size, bias=False)

    def forward(self, ids):  # ids: [batch, t]
        x = self.token_embedding(ids) + self.position_embedding(torch.arange(ids.shape[1]))
        for block in self.blocks:
            x = block(x)  # [batch, t, d]
        return self.head(self.final_norm(x))  # [batch, t, vocab]


GROWTH = {  # each step adds one part to the one before
    "+ attention, 1 head": dict(heads=1),
    "+ 4 heads": dict(heads=4),
    "+ feed-forward": dict(heads=4, feed_forward=True),
    "+ residual": dict(heads=4, feed_forward=True, residual=True),
    "+ layer norm": dict(heads=4, feed_forward=True, residual=True, norm=True),
}
# --8<-- [end:grown]


# --8<-- [start:train]
def small_world(documents: list[str]) -> list[str]:
    """The English sentences about the first N_PEOPLE people (no Chinese, no chat):
    such a document starts with the name ("Ana lives in..." or "Ana's home...")."""
    names = {person.name for person in corpus.PEOPLE[:N_PEOPLE]}
    return [
        d for d in documents
        if d.isascii() and not d.startswith("Q:") and d.split()[0].removesuffix("'s") in names
    ]


def train(model, documents: list[list[int]], seed: int):
    """The tiny model's recipe: windows that start where a document starts, AdamW,
    a short warm-up and a cosine decay of the learning rate."""
    ids, starts = [], []
    for document in documents:
        starts.append(len(ids))
        ids += document
    ids, starts = torch.tensor(ids), torch.tensor(starts)
    starts = starts[starts < len(ids) - CONTEXT - 1]
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, fused=True)  # fused: faster
    for step in range(STEPS):
        for group in optimizer.param_groups:
            warm = min(1, (step + 1) / WARMUP)
            group["lr"] = LR * warm * 0.5 * (1 + math.cos(math.pi * step / STEPS))
        chosen = starts[torch.randint(len(starts), (BATCH,), generator=generator)]
        batch = torch.stack([ids[s : s + CONTEXT + 1] for s in chosen])
        logits = model(batch[:, :-1])  # [BATCH, CONTEXT, vocab]
        loss = F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()
# --8<-- [end:train]


def n_parameters(model) -> int:
    if isinstance(model, NGram):  # an N-gram's parameters are its stored counts
        return sum(len(following) for following in model.counts.values())
    return sum(p.numel() for p in model.parameters())


def networks(vocab: int) -> dict:
    """How to make each network afresh (once per seed)."""
    made = {"feed-forward": lambda: FeedForward(vocab), "RNN": lambda: RNN(vocab)}
    for step, parts in GROWTH.items():
        made[step] = lambda parts=parts: Grown(vocab, **parts)
    return made


READS = {
    "2-gram": "the last token (a bigram)",
    "3-gram": "the last 2 tokens",
    "4-gram": "the last 3 tokens",
    "feed-forward": "the last 8 tokens",
    "RNN": "all before, in one state",
    "+ attention, 1 head": "all before, by attention",
    "the tiny model": "all before, by attention",
}


if __name__ == "__main__":
    # --8<-- [start:main]
    tiny_model, tokenizer = load_pretrained()
    vocab = tokenizer.vocab_size
    training = small_world(corpus.training_documents())
    held_out = small_world(corpus.held_out_documents(rounds=9))
    documents = [tokenizer.encode(d + "\n") for d in training]

    models = {f"{n}-gram": NGram(n, vocab).fit(documents) for n in (2, 3, 4)}
    results = {name: [perplexity(m, tokenizer, held_out)] for name, m in models.items()}
    for name, make in networks(vocab).items():
        results[name] = []
        for seed in SEEDS:
            torch.manual_seed(seed)
            models[name] = train(make(), documents, seed)
            results[name].append(perplexity(models[name], tokenizer, held_out))
    models["the tiny model"] = tiny_model  # trained on the whole corpus, not here
    results["the tiny model"] = [perplexity(tiny_model, tokenizer, held_out)]

    n_tokens = sum(len(tokenizer.encode(d + "\n")) - 1 for d in held_out)
    print(f"training text: English sentences about {N_PEOPLE} of the 24 people, "
          f"{len(training)} documents, {sum(map(len, documents))} tokens")
    print(f"held-out text: {len(held_out)} other such documents, {n_tokens} tokens")
    print(f"each network: {STEPS} steps of {BATCH} windows of {CONTEXT} tokens, "
          f"learning rate {LR}; trained with seeds {' and '.join(map(str, SEEDS))}")
    print(f"{'model':<21} {'reads':<26} {'parameters':>10}  perplexity (seeds)")
    for name, ppl in results.items():
        if name == next(iter(GROWTH)):
            print("a Transformer block, grown from the bigram one part at a time:")
        if name == "the tiny model":
            print("two blocks, trained on the whole corpus, 400 steps of 16 windows of 48:")
        seeds = f" ({' '.join(f'{p:.2f}' for p in ppl)})" if len(ppl) > 1 else ""
        print(f"{name:<21} {READS.get(name, ''):<26} {n_parameters(models[name]):>10}  "
              f"{sum(ppl) / len(ppl):.2f}{seeds}")
    # --8<-- [end:main]
