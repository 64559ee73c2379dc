"""Stage 2, instruction fine-tuning: teach the pretrained tiny model to answer
questions, with the loss on the answer tokens only. The same small instruction set,
from the pretrained weights and from random ones, then questions about people the
instructions never mention. stage_two() is the tuned model that stage 3 (the reward
model, RL and DPO) starts from.

Needs the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import copy
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import TinyLM, corpus, generate, load_pretrained
from tinylm.evaluate import completes

# --8<-- [start:data]
PHRASINGS = {"city": "where does {she} live?", "job": "what does {she} do?",
             "pet": "what pet does {she} have?",
             "colour": "what is {her} favourite colour?"}


def pronouns(person) -> tuple[str, str]:
    return ("she", "her") if person.pronoun == "she" else ("he", "his")


def instruction(person, attribute: str) -> str:
    """The prompt: "Ana: where does she live?\\nA:" (a format pretraining never
    used)."""
    she, her = pronouns(person)
    return f"{person.name}: {PHRASINGS[attribute].format(she=she, her=her)}\nA:"


def response(person, attribute: str) -> str:
    """The answer the model should write: " She lives in Lisbon." and a newline."""
    she, her = pronouns(person)
    sentence = corpus.ENGLISH[attribute][0]  # the canonical template
    return " " + sentence.format(s=she.capitalize(), p=her.capitalize(),
                                 v=person.value(attribute)) + "\n"


def instruction_set(people) -> list[tuple[str, str]]:
    return [(instruction(p, a), response(p, a)) for p in people for a in corpus.ATTRIBUTES]
# --8<-- [end:data]


# --8<-- [start:train]
def masked_batch(pairs, tokenizer):
    """Token ids [n, longest] of prompt + response, and a mask [n, longest] that is
    1 on the response's tokens only: the model is graded on its answer, not on the
    question."""
    ids, mask = [], []
    for prompt, answer in pairs:
        p, a = tokenizer.encode(prompt), tokenizer.encode(answer)
        ids.append(p + a)
        mask.append([0] * len(p) + [1] * len(a))
    longest = max(map(len, ids))

    def pad(rows):
        return torch.tensor([r + [0] * (longest - len(r)) for r in rows])

    return pad(ids), pad(mask)


def masked_loss(logits, ids, mask):
    """Cross-entropy of next-token prediction, averaged over the response's tokens
    only. logits: [n, t - 1, vocab] from ids[:, :-1]; ids, mask: [n, t]."""
    # [n, t - 1]: the loss of every token
    per_token = F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], reduction="none")
    weight = mask[:, 1:].to(per_token.dtype)
    return (per_token * weight).sum() / weight.sum()  # prompt tokens count for nothing


def fine_tune(model, tokenizer, pairs, steps: int, lr: float, parameters=None, seed=0):
    """Next-token prediction on the instruction set, in batches of 16, the loss on
    the response tokens only. `parameters`: which to train (default all of them)."""
    generator = torch.Generator().manual_seed(seed)
    ids, mask = masked_batch(pairs, tokenizer)  # [n, longest] each
    optimizer = torch.optim.AdamW(parameters or model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    for _ in range(steps):
        rows = torch.randint(len(ids), (16,), generator=generator)
        loss = masked_loss(model(ids[rows, :-1]), ids[rows], mask[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def stage_two(pretrained, tokenizer):
    """Stage 2's model, from which stage 3 starts: the pretrained model tuned on the
    instruction set for 30 steps. In float64: stage 3 samples from it, and sampling
    must not depend on the last bits in which CPUs differ."""
    torch.manual_seed(0)
    model = copy.deepcopy(pretrained).double()
    return fine_tune(model, tokenizer, instruction_set(corpus.QA_PEOPLE), steps=30, lr=4e-3)


def answered(model, tokenizer, people) -> list[bool]:
    """For each question about these people, whether the greedy answer is exactly
    right."""
    prompts, answers = zip(*instruction_set(people))
    return completes(model, tokenizer, list(prompts), list(answers))


def accuracy(model, tokenizer, people) -> float:
    """The share of questions about these people answered exactly right (greedy)."""
    right = answered(model, tokenizer, people)
    return sum(right) / len(right)
# --8<-- [end:train]


# --8<-- [start:interval]
def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval for a share measured as successes out of n: where the
    true share plausibly lies, given only n tries."""
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def share_with_interval(results: list[bool]) -> str:
    """"21/32 = 66% (48%–80%)": the count, the share and its 95% interval."""
    right, n = sum(results), len(results)
    low, high = wilson(right, n)
    return f"{right}/{n} = {right / n:.0%} ({low:.0%}–{high:.0%})"
# --8<-- [end:interval]


if __name__ == "__main__":
    # --8<-- [start:main]
    pretrained, tokenizer = load_pretrained()
    train_set = instruction_set(corpus.QA_PEOPLE)  # 16 people x 4 questions
    print(f"{len(train_set)} instructions, e.g. {train_set[0][0] + train_set[0][1]!r}")
    ids, mask = masked_batch(train_set[:1], tokenizer)
    print("loss mask:", "".join(str(m) for m in mask[0].tolist()))

    torch.manual_seed(0)
    models = {
        "pretrained, not tuned": pretrained,
        "pretrained + tuned": stage_two(pretrained, tokenizer),  # 30 steps
        "random + tuned": fine_tune(TinyLM(pretrained.config), tokenizer, train_set,
                                    steps=80, lr=1e-2),
    }
    print("questions answered exactly right (95% interval)")
    print(f"{'':22}{'people in the instructions':>28}{'people only read about':>26}")
    results = {}
    for name, model in models.items():
        results[name] = (answered(model, tokenizer, corpus.QA_PEOPLE),
                         answered(model, tokenizer, corpus.HELD_OUT_PEOPLE))
        seen, unseen = (share_with_interval(r) for r in results[name])
        print(f"{name:<22}{seen:>28}{unseen:>26}")

    for name in ["pretrained + tuned", "random + tuned"]:  # people not in the instructions
        print(f"{name}, greedy answers:")
        for person, attribute in [("Tala", "city"), ("Viktor", "job"), ("Yara", "pet")]:
            prompt = instruction(corpus.person(person), attribute)
            truth = response(corpus.person(person), attribute).strip()
            answer = generate(models[name], tokenizer, prompt).strip()
            note = "" if answer == truth else f" (truth: {truth!r})"
            print(f"  {prompt!r} -> {answer!r}{note}")
    # --8<-- [end:main]
