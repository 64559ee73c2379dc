"""Exercise: teach the new task by training nothing but the new instruction's embedding.

Needs one_model_many_tasks.py (this chapter's first example) beside it.
"""

import copy

import torch

from one_model_many_tasks import (
    FIRST_TASKS,
    IDS,
    TASKS,
    FeedForwardLM,
    accuracy,
    answer,
    split_strings,
    train,
)


def tune_instruction_only(model, task: str, train_strings, lr: float = 0.05):
    """Fine-tune a copy in which only the embedding of `task`'s token may change."""
    model = copy.deepcopy(model)
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    only_this_row = torch.zeros_like(model.embed.weight)  # [tokens, embedding]
    only_this_row[IDS[task]] = 1
    model.embed.weight.requires_grad_(True)
    model.embed.weight.register_hook(lambda grad: grad * only_this_row)
    return train(model, [(task, text) for text in train_strings], steps=150, lr=lr, seed=1)


if __name__ == "__main__":
    train_strings, test_strings = split_strings()
    examples = [(task, text) for task in FIRST_TASKS for text in train_strings]
    model = train(FeedForwardLM(), examples)
    tuned = tune_instruction_only(model, "shift", train_strings)

    changed = [name for name, p in model.state_dict().items()
               if not torch.equal(p, tuned.state_dict()[name])]
    rows = (model.embed.weight != tuned.embed.weight).any(dim=1).nonzero().flatten()
    print(f"parameters changed: {changed}, rows {rows.tolist()} "
          f"(the row of 'shift' is {IDS['shift']})")
    for task in TASKS:
        before, after = accuracy(model, task, test_strings), accuracy(tuned, task, test_strings)
        print(f"  {task:8} accuracy before {before:4.0%}, after {after:4.0%}")
    answers = answer(tuned, "shift", test_strings)
    letters = sum(a == b for text, ans in zip(test_strings, answers)
                  for a, b in zip(ans, TASKS["shift"](text)))
    print(f"  shift: {letters / (4 * len(test_strings)):.0%} of answer letters right; "
          f"shift face = {answer(tuned, 'shift', ['face'])[0]} (should be abdf)")
