"""Which input tokens does an answer depend on? Occlusion, gradient x input and attention,
first checked on a classifier with a planted trigger, then used on the tiny model.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above.
"""

import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

METHODS = ["occlusion", "gradient x input", "attention"]


# --8<-- [start:methods]
def log_odds(logits, targets):
    """log p / (1 - p) of each row's target token: unlike log p, it does not flatten out
    when the model is already sure, so its gradient still says something."""
    log_p = logits.log_softmax(-1).gather(-1, targets[:, None])[:, 0]  # [n]
    return log_p - torch.log1p(-log_p.exp().clamp(max=1 - 1e-12))


def occlusion(score, x, baseline):
    """score(x) minus score(x with one position replaced by the baseline vector), for each
    text and position. x: [n, t, d] input vectors; score(x, copies) gives one number per
    text, each text repeated `copies` times in a row. Returns [n, t]."""
    n, t, d = x.shape
    occluded = x[:, None].repeat(1, t, 1, 1)  # [n, t, t, d]: copy i has position i replaced
    occluded[:, torch.arange(t), torch.arange(t)] = baseline
    with torch.no_grad():
        return score(x)[:, None] - score(occluded.view(n * t, t, d), t).view(n, t)


def gradient_x_input(score, x, baseline):
    """The first-order estimate of the same thing: the gradient of the score with respect
    to each input vector, dotted with how far that vector is from the baseline. One
    backward pass instead of t forward passes. Returns [n, t]."""
    x = x.detach().requires_grad_(True)
    score(x).sum().backward()  # the texts do not interact: one backward serves them all
    return ((x - baseline) * x.grad).sum(-1).detach()  # [n, t]
# --8<-- [end:methods]


# --8<-- [start:trigger]
VOCAB, LENGTH, TRIGGER = 24, 10, 0  # token 0 is the trigger; token 1 the blank
SEEDS = range(5)  # five classifiers, trained alike from different random starts


def trigger_data(n: int, generator):
    """Random token strings (ids 2 and up); half of them get the trigger at a random
    position. Label: 1 if the trigger is there."""
    ids = torch.randint(2, VOCAB, (n, LENGTH), generator=generator)
    labels = torch.arange(n) % 2
    where = torch.randint(0, LENGTH, (n,), generator=generator)
    ids[labels == 1, where[labels == 1]] = TRIGGER
    return ids, labels, where


class Classifier(nn.Module):
    """Embeddings, one self-attention layer (which can move the trigger's signal onto
    other positions), then attention pooling: a learned query weighs the positions."""

    def __init__(self, d: int = 16):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, d)
        self.position = nn.Embedding(LENGTH, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.query = nn.Parameter(torch.zeros(d))
        self.out = nn.Linear(d, 2)

    def forward(self, x):  # x: [batch, t, d] token vectors (embedded ids)
        x = x + self.position.weight[: x.shape[1]]
        q, k, v = self.qkv(x).chunk(3, dim=-1)  # each [batch, t, d]
        mixing = (q @ k.transpose(1, 2) / q.shape[-1] ** 0.5).softmax(-1)  # [batch, t, t]
        x = x + mixing @ v  # [batch, t, d]
        self.pooling = (x @ self.query).softmax(-1)  # [batch, t]: the attention weights
        return self.out((self.pooling[..., None] * x).sum(1))  # [batch, 2]


def train_classifier(steps: int = 60, seed: int = 0):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    model = Classifier().double()
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(steps):
        ids, labels, _ = trigger_data(128, g)
        loss = F.cross_entropy(model(model.embedding(ids)), labels)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return model.eval()
# --8<-- [end:trigger]


# --8<-- [start:hit_rate]
def trigger_hit_rates(model, n: int = 400, seed: int = 1):
    """On n fresh strings that hold the trigger, how often each method ranks the trigger's
    position first. Also the classifier's accuracy on 2n fresh strings, half with it."""
    g = torch.Generator().manual_seed(seed)
    ids, labels, where = trigger_data(2 * n, g)
    with torch.no_grad():
        accuracy = (model(model.embedding(ids)).argmax(1) == labels).double().mean().item()
    blank = model.embedding.weight[1].detach()

    def score(x, copies=1):  # the classifier's log-odds of "trigger present"
        return log_odds(model(x), torch.ones(len(x), dtype=torch.long))

    x = model.embedding(ids[labels == 1]).detach()  # [n, t, d]: the strings with it
    with torch.no_grad():
        model(x)
    scores = {"occlusion": occlusion(score, x, blank),
              "gradient x input": gradient_x_input(score, x, blank),
              "attention": model.pooling.detach()}  # all [n, t]
    hits = {m: (s.argmax(1) == where[labels == 1]).double().mean().item()
            for m, s in scores.items()}
    return accuracy, hits
# --8<-- [end:hit_rate]


# --8<-- [start:tiny_lm]
def lm_score(model, targets, last):
    """The tiny model's log-odds of each text's target next token (at position `last`),
    from input vectors. Texts are padded on the right; attention is causal, so the
    padding changes nothing before it."""
    def score(x, copies=1):  # x: [batch, t, d] token vectors (without positions)
        x = x + model.position_embedding(torch.arange(x.shape[1]))
        for block in model.blocks:
            x = block(x)
        rows = torch.arange(len(x))
        at_last = x[rows, last.repeat_interleave(copies)]  # [batch, d]
        return log_odds(model.head(model.final_norm(at_last)), targets.repeat_interleave(copies))
    return score


def two_sentence_prompts(seed: int = 0):
    """"Ana has a cat. She lives in": the second sentence names no one, so the model must
    take whose city it is from the name in the first. One per person and attribute."""
    rng = random.Random(seed)
    prompts = []
    for person in corpus.PEOPLE:
        for attribute in corpus.ATTRIBUTES:
            other = rng.choice([a for a in corpus.ATTRIBUTES if a != attribute])
            first = corpus.fact(person, other)
            s = person.pronoun.capitalize()
            p = {"she": "Her", "he": "His"}[person.pronoun]
            second = corpus.ENGLISH[attribute][0].format(s=s, p=p, v="{v}")
            prompts.append((person, first + " " + second[: second.index("{v}")].rstrip()))
    return prompts


def attribute_lm(model, tokenizer, texts: list[str]):
    """For each text: its tokens, the model's next token, and each method's score per
    token (the attention of the last block's heads, averaged, from the last position)."""
    ids = [tokenizer.encode(t) for t in texts]
    longest = max(len(i) for i in ids)
    batch = torch.tensor([i + [0] * (longest - len(i)) for i in ids])  # [n, longest]
    last = torch.tensor([len(i) - 1 for i in ids])
    rows = torch.arange(len(ids))
    with torch.no_grad():
        targets = model(batch)[rows, last].argmax(-1)  # [n]: the model's own answers
        attention = model.blocks[-1].attention.weights[rows, :, last].mean(1)  # [n, longest]
    x = model.token_embedding(batch).detach()  # [n, longest, d]
    baseline = model.token_embedding.weight.mean(0).detach()  # an "average token"
    score = lm_score(model, targets, last)
    scores = {"occlusion": occlusion(score, x, baseline),
              "gradient x input": gradient_x_input(score, x, baseline),
              "attention": attention}  # each [n, longest]
    tokens = [[tokenizer.decode([i]) for i in row] for row in ids]
    return tokens, targets.tolist(), scores
# --8<-- [end:tiny_lm]


def name_hit_rates(model, tokenizer):
    """Over the two-sentence prompts the model answers correctly: how often each method's
    top token, among the first sentence's tokens and the pronoun, is (part of) the name."""
    prompts = two_sentence_prompts()
    texts = [text for _, text in prompts]
    tokens, targets, scores = attribute_lm(model, tokenizer, texts)
    hits, n = dict.fromkeys(METHODS, 0), 0
    for k, (person, _) in enumerate(prompts):
        attribute = corpus.ATTRIBUTES[k % len(corpus.ATTRIBUTES)]
        right = tokenizer.encode(" " + getattr(person, attribute))[0]
        if targets[k] != right:
            continue  # only answers the model gets right
        n_name = len(tokenizer.encode(person.name))
        second = max(i for i, token in enumerate(tokens[k]) if token == ".") + 1
        context = list(range(second + 1))  # the first sentence, then "She" (or "Her")
        for method in METHODS:
            top = max(context, key=lambda i, s=scores[method][k]: float(s[i]))
            hits[method] += top < n_name
        n += 1
    return n, {m: h / n for m, h in hits.items()}


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.set_num_threads(1)  # models this small run fastest on one thread
    print("planted trigger: share of 400 fresh strings with the trigger where each")
    print("method ranks it first, for classifiers trained from five random starts")
    print(f"{'seed':>4} {'accuracy':>9}" + "".join(f"{m:>18}" for m in METHODS))
    trigger_hits = {}
    for seed in SEEDS:
        accuracy, trigger_hits[seed] = trigger_hit_rates(train_classifier(seed=seed))
        print(f"{seed:4} {accuracy:9.3f}"
              + "".join(f"{trigger_hits[seed][m]:18.2f}" for m in METHODS))

    model, tokenizer = load_pretrained()
    model.double()
    tokens, targets, scores = attribute_lm(model, tokenizer, ["Ana has a cat. She lives in"])
    print(f"\n'Ana has a cat. She lives in' -> {tokenizer.decode(targets)!r}")
    print(f"{'token':10}" + "".join(f"{m:>18}" for m in METHODS))
    for i, token in enumerate(tokens[0]):
        print(f"{token!r:10}" + "".join(f"{float(scores[m][0, i]):18.2f}" for m in METHODS))
    n, name_hits = name_hit_rates(model, tokenizer)
    print(f"\n{n} two-sentence prompts the model answers right: share where the top token",
          "of the first sentence and the pronoun is the name")
    for method in METHODS:
        print(f"    {method:17} {name_hits[method]:.2f}")
    # --8<-- [end:main]
