"""Exercise: write the steps for a new task, the last digit of a string's digit sum, and
train chapter 3's model with and without them. Needs chain_of_thought.py and
window_model.py beside it."""

import math
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: the chapter's examples are beside it
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from chain_of_thought import compare, prompt
from window_model import accuracy


def running_digit_sum(digits: str) -> str:
    """The steps: after each digit, the last digit of the sum so far. '479' -> '416'."""
    steps, total = "", 0
    for digit in digits:
        total = (total + int(digit)) % 10
        steps += str(total)
    return steps


@torch.no_grad()
def step_accuracies(model, strings: list[str], scratchpad) -> list[float]:
    """For each step (and the full stop), the share of strings on which the model writes
    it right when every step before it is right: each step judged on its own."""
    targets = [scratchpad(s) + "." for s in strings]
    shares = []
    for i in range(len(targets[0])):
        windows = [model.window_before(prompt(s) + list(t[:i])) for s, t in zip(strings, targets)]
        best = model(torch.tensor(windows)).argmax(-1).tolist()  # [strings]
        shares.append(sum(model.tokens[b] == t[i] for b, t in zip(best, targets)) / len(strings))
    return shares


if __name__ == "__main__":
    tokens = [" ", *"0123456789", "=", "."]
    _, tests, right, model = compare(tokens, "0123456789", running_digit_sum)
    print("the last digit of the digit sum: accuracy on test strings (95% intervals)")
    print("length    n   answer at once      steps first")
    for length in tests:
        print(f"{length:6} {len(tests[length]):4}   {accuracy(right[False][length]):17}  "
              f"{accuracy(right[True][length])}")
    steps = step_accuracies(model, tests[12], running_digit_sum)
    chain = sum(right[True][12]) / len(right[True][12])
    print(f"at 12 digits, each of the {len(steps)} steps on its own is right on "
          f"{sum(steps) / len(steps):.3f} of the strings\n(on average); the product of the "
          f"{len(steps)}: {math.prod(steps):.2f}; the whole chain: {chain:.2f}")
