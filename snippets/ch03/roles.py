"""Roles: a programmer writes programs; a tester runs unit tests and reports back."""

import random

OPERANDS = ["x", "1", "2", "3"]
OPERATORS = ["+", "-", "*"]
VISIBLE_TESTS = [-2, -1, 0, 1, 2, 3]  # the inputs of the tester's unit tests
HIDDEN_TESTS = [-7, -5, -4, 4, 5, 6, 9]  # inputs nobody on the team sees
TASKS = 60
ROUNDS = 8
PROPOSALS = 4  # revisions the programmer writes per round


# --8<-- [start:language]
def run(program: list[str], x: int):
    """The tiny language: a program is a list of tokens in reverse Polish notation,
    read left to right with a stack. "x 1 + x *" computes (x + 1) * x."""
    stack = []
    for token in program:
        if token in OPERATORS:
            if len(stack) < 2:
                return None  # a broken program
            right, left = stack.pop(), stack.pop()
            if token == "+":
                stack.append(left + right)
            elif token == "-":
                stack.append(left - right)
            else:
                stack.append(left * right)
        else:
            stack.append(x if token == "x" else int(token))
    return stack[0] if len(stack) == 1 else None


def random_program(rng: random.Random, depth: int = 2) -> list[str]:
    """A random expression of x, written in the tiny language: each operation has x on
    at least one side."""
    if depth == 0 or rng.random() < 0.25:
        return ["x"]
    left = random_program(rng, depth - 1)
    if rng.random() < 0.5:
        right = random_program(rng, depth - 1)
    else:
        right = [rng.choice(OPERANDS[1:])]  # a constant
    if rng.random() < 0.5:
        left, right = right, left
    return left + right + [rng.choice(OPERATORS)]


def make_tasks(count: int = TASKS, seed: int = 0) -> list[list[str]]:
    """`count` target programs: each has an operation and computes its own function."""
    rng = random.Random(seed)
    targets, functions = [], []
    while len(targets) < count:
        program = random_program(rng)
        outputs = [run(program, x) for x in VISIBLE_TESTS + HIDDEN_TESTS]
        if len(program) > 1 and len(set(outputs)) > 1 and outputs not in functions:
            targets.append(program)
            functions.append(outputs)
    return targets
# --8<-- [end:language]


# --8<-- [start:roles]
def tester(program, target, inputs=VISIBLE_TESTS):
    """Runs the unit tests; reports the failures as (input, expected, got)."""
    report = [(x, run(target, x), run(program, x)) for x in inputs]
    return [(x, expected, got) for x, expected, got in report if got != expected]


def badness(failures) -> tuple[int, int]:
    """How the team reads a test report: first the number of failing tests, then how
    far off the outputs are (a broken program is as far off as can be)."""
    far = sum(abs(expected - got) if got is not None else 10**9
              for _, expected, got in failures)
    return len(failures), far


def same_kind(token: str) -> list[str]:
    return OPERATORS if token in OPERATORS else OPERANDS


def programmer_draft(target, rng, slip: float = 0.3):
    """A stand-in for a language model writing a first version from the task's
    description: the right shape, but each token wrong with probability `slip`."""
    draft = []
    for token in target:
        if rng.random() < slip:
            token = rng.choice([t for t in same_kind(token) if t != token])
        draft.append(token)
    return draft


def programmer_revise(program, rng):
    """A revision: the programmer changes one token of its program. It cannot run
    code, so it cannot know in advance whether the change helps."""
    i = rng.randrange(len(program))
    new = rng.choice([t for t in same_kind(program[i]) if t != program[i]])
    return program[:i] + [new] + program[i + 1 :]


def team(target, rng, rounds=ROUNDS, with_tester=True, inputs=VISIBLE_TESTS):
    """The programmer drafts, then revises each round. With a tester, the test reports
    decide which revision the team keeps; alone, the programmer keeps its latest.
    Returns the program after each round."""
    program = programmer_draft(target, rng)
    history = [program]
    for _ in range(rounds):
        proposals = [programmer_revise(program, rng) for _ in range(PROPOSALS)]
        if with_tester:
            reports = [badness(tester(p, target, inputs)) for p in proposals]
            best = min(range(PROPOSALS), key=lambda i: reports[i])
            if reports[best] <= badness(tester(program, target, inputs)):
                program = proposals[best]  # the report is no worse: keep it
        else:
            program = proposals[-1]
        history.append(program)
    return history
# --8<-- [end:roles]


def pass_rates(histories, targets, inputs):
    """By round: the share of tasks whose program passes every test in `inputs`."""
    rates = []
    for r in range(len(histories[0])):
        passed = [not tester(h[r], t, inputs) for h, t in zip(histories, targets)]
        rates.append(sum(passed) / len(targets))
    return rates


if __name__ == "__main__":
    # --8<-- [start:main]
    targets = make_tasks()
    print(f"{TASKS} tasks, the first three: "
          + ", ".join(" ".join(target) for target in targets[:3]))

    target = ["x", "1", "+", "x", "*"]  # one run of the team on one more task
    print(f"\none team at work on {' '.join(target)}:")
    for r, program in enumerate(team(target, random.Random(2), rounds=3)):
        failures = tester(program, target)
        shown = f"{failures[:2]}{' ...' if len(failures) > 2 else ''}"
        print(f"    round {r}: {' '.join(program):<10} failing tests {len(failures)}, "
              f"(input, expected, got) {shown}")

    alone, paired = [], []
    for i, target in enumerate(targets):
        alone.append(team(target, random.Random(i), with_tester=False))
        paired.append(team(target, random.Random(i)))
    rates = {
        "programmer alone": pass_rates(alone, targets, VISIBLE_TESTS),
        "with a tester": pass_rates(paired, targets, VISIBLE_TESTS),
        "with a tester, hidden tests": pass_rates(paired, targets, HIDDEN_TESTS),
    }
    print(f"\nshare of the {TASKS} tasks passing all tests, by round:")
    print(f"{'round':<29}" + "".join(f"{r:>5}" for r in range(ROUNDS + 1)))
    for name, by_round in rates.items():
        print(f"{name:<29}" + "".join(f"{rate:5.2f}" for rate in by_round))
    # --8<-- [end:main]
