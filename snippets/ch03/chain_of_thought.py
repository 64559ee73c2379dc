"""A chain of thought, learned: the same small model, trained on the same problems either
to answer at once or to write its steps first. Needs window_model.py beside it."""

import random
import sys
from pathlib import Path

if "__file__" in globals():  # run as a file: window_model.py is beside it
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from window_model import WindowModel, accuracy, train, write

LONGEST = 12  # strings of 1 to 12 symbols


# --8<-- [start:task]
def running_parity(bits: str) -> str:
    """The steps: after each bit, whether the 1s so far are odd (1) or even (0).
    The last step is the answer. '1011' -> '1101'."""
    steps, odd = "", 0
    for bit in bits:
        odd ^= int(bit)
        steps += str(odd)
    return steps


def prompt(string: str) -> list[str]:
    """'1011' -> the tokens '1011        =': the string, blanks up to LONGEST, '='."""
    return list(string.ljust(LONGEST)) + ["="]


def text(string: str, scratchpad, with_steps: bool) -> list[tuple[str, bool]]:
    """A training text as (token, learn) pairs: the model reads the prompt and learns
    to write either all the steps and a full stop, or the last step alone."""
    steps = scratchpad(string)
    written = list(steps) + ["."] if with_steps else [steps[-1]]
    return [(token, False) for token in prompt(string)] + [(t, True) for t in written]


def answers(model, strings: list[str], with_steps: bool) -> list[str]:
    """What the model answers: the last token before its full stop, or its only token."""
    if not with_steps:
        return [w[0] for w in write(model, [prompt(s) for s in strings], set(), most=1)]
    written = write(model, [prompt(s) for s in strings], {"."}, most=LONGEST + 1)
    return [w[-2] if len(w) > 1 and w[-1] == "." else "?" for w in written]
# --8<-- [end:task]


# --8<-- [start:data]
def strings_by_length(alphabet: str, seed: int = 0, n_train: int = 1000, n_test: int = 200):
    """n_train random strings of random length to train on; for every length up to
    200 different strings to test on (all of them, where there are fewer)."""
    rng = random.Random(seed)

    def random_string(length):
        return "".join(rng.choice(alphabet) for _ in range(length))

    training = [random_string(rng.randint(1, LONGEST)) for _ in range(n_train)]
    tests = {}
    for length in range(1, LONGEST + 1):
        n = min(n_test, len(alphabet) ** length)
        distinct = set()
        while len(distinct) < n:
            distinct.add(random_string(length))
        tests[length] = sorted(distinct)
    return training, tests


def compare(tokens, alphabet, scratchpad, steps: int = 200):
    """Train one model to answer at once and one to write its steps first, on the same
    strings; return, for each, which test strings of each length it got right."""
    training, tests = strings_by_length(alphabet)
    right = {}
    for with_steps in (False, True):
        model = WindowModel(tokens, window=LONGEST + 1)  # sees the whole prompt
        train(model, [text(s, scratchpad, with_steps) for s in training], steps=steps)
        right[with_steps] = {
            length: [a == scratchpad(s)[-1] for a, s in zip(answers(model, ss, with_steps), ss)]
            for length, ss in tests.items()
        }
    return training, tests, right, model
# --8<-- [end:data]


if __name__ == "__main__":
    # --8<-- [start:main]
    training, tests, right, model = compare([" ", "0", "1", "=", "."], "01", running_parity)
    seen = set(training)
    print(f"{len(training):,} training strings of 1 to {LONGEST} bits; each model has "
          f"{sum(p.numel() for p in model.parameters()):,} parameters")
    print("is the number of 1s odd? accuracy on test strings (95% intervals):")
    print("length    n  in training   answer at once      steps first")
    for length, strings in tests.items():
        share_seen = sum(s in seen for s in strings) / len(strings)
        print(f"{length:6} {len(strings):4} {share_seen:11.0%}   "
              f"{accuracy(right[False][length]):17}  {accuracy(right[True][length])}")
    for with_steps, name in [(False, "answer at once"), (True, "steps first")]:
        unseen = [ok for length, strings in tests.items()
                  for ok, s in zip(right[with_steps][length], strings) if s not in seen]
        print(f"{name}, on the {len(unseen)} test strings never trained on: "
              f"{accuracy(unseen)}")
    example = "110100111010"
    written = "".join(write(model, [prompt(example)], {"."}, most=LONGEST + 1)[0])
    print(f"steps first, for {example}: writes {written}  (the running parity: "
          f"{running_parity(example)})")
    # --8<-- [end:main]
