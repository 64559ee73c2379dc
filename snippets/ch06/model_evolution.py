"""How language models evolved: N-gram, feed-forward, RNN and Transformer.

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
The Transformer is the book's committed tiny model (trained by train_tiny_lm.py);
the others are trained here on the same text, with the same tokenizer, and all are
measured on the same held-out documents, which none of them trained on.
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
from tinylm import corpus, load_pretrained
from tinylm.evaluate import perplexity

STEPS, BATCH, CONTEXT = 200, 16, 48  # the Transformer had 400 steps of 16 windows


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

    def __init__(self, vocab_size: int, window=8, d=32, hidden=96):
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

    def __init__(self, vocab_size: int, d: int = 48, hidden: int = 96):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d)
        self.rnn = nn.RNN(d, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, ids):  # ids: [batch, t]
        states, _ = self.rnn(self.embedding(ids))  # [batch, t, hidden]
        return self.head(states)  # [batch, t, vocab]
# --8<-- [end:neural]


# --8<-- [start:train]
def windows(tokenizer):
    """The training text as token ids, and where each document starts."""
    ids, starts = [], []
    for document in corpus.training_documents():
        starts.append(len(ids))
        ids += tokenizer.encode(document + "\n")
    ids, starts = torch.tensor(ids), torch.tensor(starts)
    return ids, starts[starts < len(ids) - CONTEXT - 1]


def train(model, tokenizer, lr: float, seed: int = 0):
    """The Transformer's recipe: windows from document starts, AdamW, a warm-up
    and a cosine decay."""
    ids, starts = windows(tokenizer)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    for step in range(STEPS):
        for group in optimizer.param_groups:
            warm = min(1, (step + 1) / 50)
            group["lr"] = lr * warm * 0.5 * (1 + math.cos(math.pi * step / STEPS))
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


if __name__ == "__main__":
    # --8<-- [start:main]
    transformer, tokenizer = load_pretrained()
    vocab = tokenizer.vocab_size
    documents = [tokenizer.encode(d + "\n") for d in corpus.training_documents()]
    held_out = corpus.held_out_documents()

    models = {}
    for n in (2, 3, 4):
        models[f"{n}-gram"] = NGram(n, vocab).fit(documents)
    torch.manual_seed(0)
    models["feed-forward"] = train(FeedForward(vocab), tokenizer, lr=0.03)
    torch.manual_seed(0)
    models["RNN"] = train(RNN(vocab), tokenizer, lr=0.03)
    models["Transformer"] = transformer

    reads = {
        "2-gram": "the last token",
        "3-gram": "the last 2 tokens",
        "4-gram": "the last 3 tokens",
        "feed-forward": "the last 8 tokens",
        "RNN": "all before, in one state",
        "Transformer": "all before, by attention",
    }
    results = {n: perplexity(m, tokenizer, held_out) for n, m in models.items()}
    n_tokens = sum(len(tokenizer.encode(d + "\n")) - 1 for d in held_out)
    print(f"held-out text: {len(held_out)} documents, {n_tokens} tokens to predict")
    print(f"{'model':<13} {'reads':<25} {'parameters':>10} {'perplexity':>10}")
    for name, model in models.items():
        size, ppl = n_parameters(model), results[name]
        print(f"{name:<13} {reads[name]:<25} {size:>10} {ppl:>10.2f}")
    # --8<-- [end:main]
