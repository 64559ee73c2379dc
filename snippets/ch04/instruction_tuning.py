"""Stage 2, instruction fine-tuning: teach the pretrained tiny model to answer
questions, with the loss on the answer tokens only. The same small instruction set,
from the pretrained weights and from random ones, then questions about people the
instructions never mention.

Needs the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import copy
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


def fine_tune(model, tokenizer, pairs, steps: int, lr: float, parameters=None, seed=0):
    """Next-token prediction on the instruction set, the loss averaged over response
    tokens. `parameters`: which to train (default all of them)."""
    generator = torch.Generator().manual_seed(seed)
    ids, mask = masked_batch(pairs, tokenizer)  # [n, longest] each
    optimizer = torch.optim.AdamW(parameters or model.parameters(), lr=lr, weight_decay=0.0)
    model.train()
    for _ in range(steps):
        rows = torch.randint(len(ids), (16,), generator=generator)
        inputs, targets, weight = ids[rows, :-1], ids[rows, 1:], mask[rows, 1:].float()
        logits = model(inputs)  # [16, longest - 1, vocab]
        # [16, longest - 1]: the loss of every token
        per_token = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
        loss = (per_token * weight).sum() / weight.sum()  # prompt tokens count for nothing
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


def accuracy(model, tokenizer, people) -> float:
    """The share of questions about these people answered exactly right (greedy)."""
    prompts, answers = zip(*instruction_set(people))
    return sum(completes(model, tokenizer, list(prompts), list(answers))) / len(prompts)
# --8<-- [end:train]


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
        "pretrained + tuned": fine_tune(copy.deepcopy(pretrained), tokenizer, train_set,
                                        steps=80, lr=2e-3),
        "random + tuned": fine_tune(TinyLM(pretrained.config), tokenizer, train_set,
                                    steps=80, lr=1e-2),
    }
    print(f"{'':24}{'people in the instructions':>28}{'people only read about':>24}")
    results = {}
    for name, model in models.items():
        results[name] = (accuracy(model, tokenizer, corpus.QA_PEOPLE),
                         accuracy(model, tokenizer, corpus.HELD_OUT_PEOPLE))
        print(f"{name:<24}{results[name][0]:>28.0%}{results[name][1]:>24.0%}")

    for name in ["pretrained + tuned", "random + tuned"]:  # people not in the instructions
        print(f"{name}, greedy answers:")
        for person, attribute in [("Tala", "city"), ("Viktor", "job"), ("Yara", "pet")]:
            prompt = instruction(corpus.person(person), attribute)
            truth = response(corpus.person(person), attribute).strip()
            answer = generate(models[name], tokenizer, prompt).strip()
            note = "" if answer == truth else f" (truth: {truth!r})"
            print(f"  {prompt!r} -> {answer!r}{note}")
    # --8<-- [end:main]
