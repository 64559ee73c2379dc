"""Chapter 3: a model that writes its steps first computes what a model that answers at
once cannot."""

import itertools
import random

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch03/chain_of_thought.py").namespace


@pytest.fixture(scope="module")
def cot(snippet):
    return snippet("ch03/chain_of_thought.py")


def share(right):
    return sum(right) / len(right)


def test_the_steps_are_the_running_parity(cot):
    for length in range(1, 9):
        for bits in map("".join, itertools.product("01", repeat=length)):
            steps = cot.running_parity(bits)
            assert [int(s) for s in steps] == [
                bits[: i + 1].count("1") % 2 for i in range(length)
            ]


def test_both_models_see_the_same_prompt_and_learn_different_continuations(cot):
    with_steps = cot.text("1011", cot.running_parity, True)
    at_once = cot.text("1011", cot.running_parity, False)
    assert [t for t, learn in with_steps if not learn] == cot.prompt("1011")
    assert [t for t, learn in at_once if not learn] == cot.prompt("1011")
    assert [t for t, learn in with_steps if learn] == list("1101.")
    assert [t for t, learn in at_once if learn] == ["1"]


def test_writing_steps_first_is_right_at_every_length(run):
    for length, right in run["right"][True].items():
        assert share(right) >= 0.98, length


def test_answering_at_once_falls_towards_a_coin_flip(run):
    at_once = run["right"][False]
    assert all(share(at_once[n]) == 1 for n in range(1, 5)), "short strings: all learned"
    assert share(at_once[11] + at_once[12]) < share(at_once[5] + at_once[6]) - 0.2
    assert share(at_once[12]) < 0.7


def test_on_strings_never_trained_on_only_the_steps_generalise(run, snippet):
    wilson = snippet("ch03/window_model.py").wilson
    seen = set(run["training"])
    unseen = {True: [], False: []}
    for with_steps in unseen:
        for length, strings in run["tests"].items():
            right = run["right"][with_steps][length]
            unseen[with_steps] += [ok for ok, s in zip(right, strings) if s not in seen]
    assert len(unseen[True]) > 500
    low, high = wilson(sum(unseen[False]), len(unseen[False]))
    assert high < 0.7, "answering at once: near a coin flip on new strings"
    assert wilson(sum(unseen[True]), len(unseen[True]))[0] > 0.99


def test_the_model_writes_each_step_not_only_the_answer(run, cot):
    window_model = run["model"]  # the model trained to write its steps
    strings = run["tests"][12]
    written = cot.write(window_model, [cot.prompt(s) for s in strings], {"."}, most=13)
    correct = ["".join(w) == cot.running_parity(s) + "." for w, s in zip(written, strings)]
    assert share(correct) >= 0.98


def test_the_wilson_interval_solves_its_defining_equation(snippet):
    wilson = snippet("ch03/window_model.py").wilson
    rng = random.Random(0)
    for _ in range(50):
        n = rng.randint(1, 500)
        k = rng.randint(0, n)
        for p in wilson(k, n):
            # the ends are where (k/n - p)^2 = z^2 p (1 - p) / n, clipped to [0, 1]
            if 1e-9 < p < 1 - 1e-9:
                assert (k / n - p) ** 2 == pytest.approx(1.96**2 * p * (1 - p) / n)
    assert wilson(0, 10)[0] == 0 and wilson(10, 10)[1] == 1
