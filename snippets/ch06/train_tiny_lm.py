"""Train the book's tiny language model on the generated corpus, and save it.

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
Writes tiny_lm.pt and tokenizer.json into the working folder, and draws the loss
curves (tiny_lm_loss.svg). The copies that
later chapters load are committed in snippets/tinylm/: after a change to the
model, the corpus or this file, remake them with `python3 dev.py update`, which
also reruns every example that loads them (run here, this file leaves the
committed copies alone).
"""

import math
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import Config, TinyLM, Tokenizer, corpus, fingerprint, generate, save_pretrained
from tinylm.evaluate import knowledge, perplexity

# --8<-- [start:settings]
SETTINGS = {
    "vocab_size": 640, "d_model": 48, "n_heads": 4, "n_layers": 2, "context": 48,
    "steps": 400, "batch": 16, "lr": 0.03, "warmup": 50, "seed": 0,
}
# --8<-- [end:settings]
REPORT_STEPS = [1, 50, 100, 200, 300, 400]  # after this many steps
PROMPTS = [
    "Ana lives in",
    "安娜",
    corpus.question(corpus.person("Ana"), "city"),
    corpus.question(corpus.person("Zane"), "job"),  # Zane: never asked about
]


# --8<-- [start:data]
def tokenize(tokenizer: Tokenizer) -> tuple[torch.Tensor, torch.Tensor]:
    """The training text as one long row of token ids, and where documents start."""
    ids, starts = [], []
    for document in corpus.training_documents():
        starts.append(len(ids))
        ids += tokenizer.encode(document + "\n")
    return torch.tensor(ids), torch.tensor(starts)


def batch(ids, starts, size: int, context: int, generator):
    """`size` windows of the text, each starting where a document starts, as a
    prompt does. The targets are the same tokens shifted by one: each position
    predicts the next token."""
    starts = starts[starts < len(ids) - context - 1]
    chosen = starts[torch.randint(len(starts), (size,), generator=generator)]
    windows = torch.stack([ids[s : s + context + 1] for s in chosen])
    return windows[:, :-1], windows[:, 1:]  # inputs, targets: [size, context] each
# --8<-- [end:data]


# --8<-- [start:train]
def train(model: TinyLM, tokenizer: Tokenizer, settings: dict = SETTINGS):
    """Next-token prediction by gradient descent (AdamW). Returns the loss of every
    step and, at the REPORT_STEPS, the perplexity on held-out text."""
    s = settings
    generator = torch.Generator().manual_seed(s["seed"])
    ids, starts = tokenize(tokenizer)
    held_out = corpus.held_out_documents()
    optimizer = torch.optim.AdamW(model.parameters(), lr=s["lr"])
    losses, held_out_perplexity = [], {}
    for step in range(s["steps"]):
        # the learning rate: a short warm-up, then a cosine decay towards zero
        warm = min(1.0, (step + 1) / s["warmup"])
        decay = 0.5 * (1 + math.cos(math.pi * step / s["steps"]))
        for group in optimizer.param_groups:
            group["lr"] = s["lr"] * warm * decay
        inputs, targets = batch(ids, starts, s["batch"], s["context"], generator)
        logits = model(inputs)  # [batch, context, vocab]
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step + 1 in REPORT_STEPS:
            held_out_perplexity[step + 1] = perplexity(model, tokenizer, held_out)
    return losses, held_out_perplexity
# --8<-- [end:train]


def draw_losses(losses, held_out_perplexity, path="tiny_lm_loss.svg"):
    """The training loss of every step, and the held-out loss (the log of the
    perplexity) where it was measured."""
    fig, axis = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
    steps = range(1, len(losses) + 1)
    axis.plot(steps, losses, lw=0.8, alpha=0.6, label="training loss (each step's batch)")
    measured = sorted(held_out_perplexity)
    held_out = [math.log(held_out_perplexity[step]) for step in measured]
    axis.plot(measured, held_out, "o-", color="C3", label="held-out loss")
    axis.set(xlabel="training step", ylabel="loss (nats per token)", ylim=(0, 7))
    axis.grid(True, alpha=0.3)
    axis.legend()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    s = SETTINGS
    tokenizer = Tokenizer.train(corpus.pretraining_text(), s["vocab_size"])
    torch.manual_seed(s["seed"])
    config = Config(
        s["vocab_size"], s["d_model"], s["n_heads"], s["n_layers"], s["context"]
    )
    model = TinyLM(config)
    n_tokens = len(tokenize(tokenizer)[0])
    n_parameters = sum(p.numel() for p in model.parameters())
    print(f"{len(corpus.training_documents())} documents, {n_tokens} tokens "
          f"({tokenizer.vocab_size} in the vocabulary); {n_parameters} parameters")

    print("before training (greedy):")
    for prompt in PROMPTS[:2]:
        print(f"  {prompt!r} -> {generate(model.eval(), tokenizer, prompt, 8)!r}")
    losses, held_out_perplexity = train(model.train(), tokenizer)
    model.eval()
    v = tokenizer.vocab_size
    print(f"a uniform guess over {v} tokens: loss ln {v} = {math.log(v):.2f}, "
          f"perplexity {v}")
    print("steps  training loss  held-out perplexity")
    for step in REPORT_STEPS:
        loss, ppl = losses[step - 1], held_out_perplexity[step]
        print(f"{step:5d}  {loss:13.3f}  {ppl:19.3g}")
    draw_losses(losses, held_out_perplexity)

    print("after training (greedy):")
    for prompt in PROMPTS:
        print(f"  {prompt!r} -> {generate(model, tokenizer, prompt)!r}")

    known = knowledge(model, tokenizer)
    n_asked, n_others = len(corpus.QA_PEOPLE), len(corpus.HELD_OUT_PEOPLE)
    print("what it knows:")
    print(f"  English facts, greedy completion right: {known['facts_en']:.0%}")
    print(f"  Chinese facts, true sentence the most likely of 8: "
          f"{known['facts_zh']:.0%}")
    print(f"  questions about the {n_asked} people it saw asked about: "
          f"{known['qa_seen']:.0%} answered exactly")
    print(f"  questions about the {n_others} others: "
          f"{known['qa_unseen']:.0%} answered exactly")

    script = globals().get("__file__")  # this file's code is in the fingerprint
    save_pretrained(model, tokenizer, fingerprint(SETTINGS, script))
    print("saved tiny_lm.pt and tokenizer.json")
    # --8<-- [end:main]
