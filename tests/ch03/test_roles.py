"""Chapter 3: a programmer and a tester; the tiny language they work in."""

import random
from itertools import pairwise

import pytest


@pytest.fixture(scope="module")
def roles(snippet):
    return snippet("ch03/roles.py")


@pytest.fixture(scope="module")
def rates(ran):
    return ran("ch03/roles.py").namespace["rates"]


def infix(program):
    """The program as a Python expression: an independent reading of its meaning."""
    stack = []
    for token in program:
        if token in "+-*":
            right, left = stack.pop(), stack.pop()
            stack.append(f"({left} {token} {right})")
        else:
            stack.append(token)
    return stack[0]


def test_the_interpreter_agrees_with_python(roles):
    rng = random.Random(1)
    for _ in range(200):
        program = roles.random_program(rng, depth=3)
        for x in range(-3, 4):
            assert roles.run(program, x) == eval(infix(program), {"x": x})


@pytest.mark.parametrize("broken", [["+"], ["x", "+"], ["x", "1"], []])
def test_broken_programs_give_no_output(roles, broken):
    assert roles.run(broken, 1) is None


def test_with_a_tester_the_pass_rate_rises(rates):
    rising = rates["with a tester"]
    assert all(a <= b for a, b in pairwise(rising))  # a passing program stays
    assert rising[-1] >= rising[0] + 0.3


def test_alone_the_programmer_does_not_improve(rates):
    alone = rates["programmer alone"]
    assert max(alone[1:]) <= alone[0]


def test_six_tests_are_enough_to_generalise_here(rates):
    assert rates["with a tester, hidden tests"][-1] >= rates["with a tester"][-1] - 0.05


def test_the_tester_reports_input_expected_and_got(roles):
    target = ["x", "1", "+", "x", "*"]
    assert roles.tester(target, target) == []
    assert roles.tester(["x", "x", "*"], target, inputs=[2]) == [(2, 6, 4)]


def test_every_task_is_a_different_function(ran, roles):
    targets = ran("ch03/roles.py").namespace["targets"]
    tests = roles.VISIBLE_TESTS + roles.HIDDEN_TESTS
    functions = {tuple(roles.run(t, x) for x in tests) for t in targets}
    assert len(functions) == len(targets) == roles.TASKS
