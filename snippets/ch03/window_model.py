"""The small model this chapter trains (chapter 2's kind: it reads a fixed window of the
last tokens and scores the next one), how it learns, how it writes, and how its
accuracy is reported."""

import math

import torch
from torch import nn


# --8<-- [start:model]
class WindowModel(nn.Module):
    """Scores the next token from the last `window` tokens of the text."""

    def __init__(self, tokens: list[str], window: int, hidden: int = 64, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)  # the same initial parameters every run
        self.tokens, self.window = tokens, window  # tokens[0] also pads the start
        self.ids = {token: i for i, token in enumerate(tokens)}
        self.embed = nn.Embedding(len(tokens), 8)
        self.classify = nn.Sequential(
            nn.Linear(window * 8, hidden), nn.ReLU(), nn.Linear(hidden, len(tokens))
        )
        self.double()  # float64: training gives the same digits on every CPU

    def forward(self, context):  # context: [batch, window] token ids
        return self.classify(self.embed(context).flatten(1))  # [batch, tokens]

    def window_before(self, text: list[str]) -> list[int]:
        """The ids of the last `window` tokens of `text`, padded on the left."""
        ids = [self.ids[token] for token in text[-self.window :]]
        return [0] * (self.window - len(ids)) + ids
# --8<-- [end:model]


# --8<-- [start:train]
def train(model, texts, steps: int, batch: int = 128, lr: float = 0.02, seed: int = 0):
    """Next-token prediction with Adam, on `steps` batches of `batch` positions. A text
    is a list of (token, learn) pairs: the model learns to write the tokens marked True,
    and only reads the others (the prompt, and whatever a tool wrote)."""
    contexts, targets = [], []
    for text in texts:
        ids = [0] * model.window + [model.ids[token] for token, _ in text]
        for position, (token, learn) in enumerate(text):
            if learn:  # the window of tokens before this one, and this one
                contexts += ids[position : position + model.window]
                targets.append(model.ids[token])
    targets = torch.tensor(targets)  # [n]
    contexts = torch.tensor(contexts).view(len(targets), model.window)  # [n, window]
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        i = torch.randint(len(targets), (batch,), generator=generator)
        loss = nn.functional.cross_entropy(model(contexts[i]), targets[i])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@torch.no_grad()
def write(model, texts: list[list[str]], stop: set[str], most: int) -> list[list[str]]:
    """Greedy decoding for a batch of texts: the tokens each one writes, up to and
    including the first token in `stop`, or `most` tokens."""
    context = torch.tensor([model.window_before(text) for text in texts])  # [batch, window]
    written = []
    for _ in range(most):
        best = model(context).argmax(-1)  # [batch]: the likeliest next token of each
        written.append(best)
        context = torch.cat([context[:, 1:], best[:, None]], dim=1)  # slide the window
    pieces = []
    for ids in torch.stack(written, dim=1).tolist():  # [batch, most]
        tokens = [model.tokens[i] for i in ids]
        ends = [i for i, token in enumerate(tokens) if token in stop]
        pieces.append(tokens[: ends[0] + 1] if ends else tokens)
    return pieces
# --8<-- [end:train]


def wilson(right: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval for a share of `right` out of `n` (Wilson's score interval)."""
    share = right / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def accuracy(right: list[bool]) -> str:
    """'0.85 [0.79, 0.89]': the share right, with its 95% interval."""
    low, high = wilson(sum(right), len(right))
    return f"{sum(right) / len(right):.2f} [{low:.2f}, {high:.2f}]"


if __name__ == "__main__":
    # --8<-- [start:main]
    model = WindowModel([" ", "0", "1", "=", "."], window=13)
    print(model)
    print(f"{sum(p.numel() for p in model.parameters()):,} parameters")
    text = list("1011        =11")  # a prompt, and two steps written after it
    window = model.window_before(text)
    print(f"it reads the last 13 tokens {''.join(model.tokens[i] for i in window)!r}, "
          f"ids {window}")
    scores = model(torch.tensor([window])).softmax(-1)[0]  # [tokens]; not trained yet
    print("next token:", "  ".join(f"{t!r} {p:.2f}" for t, p in zip(model.tokens, scores)))
    # --8<-- [end:main]
