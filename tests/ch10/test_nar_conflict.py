"""Chapter 10: generating every position at once mixes "AA" and "BB"; one position per
pass never does; a few rounds of mask-predict sit in between, as the formula says."""

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch10/nar_conflict.py")


def test_the_same_network_conflicts_only_when_decoded_in_parallel(run):
    rates = run.namespace["rates"]
    n = run.namespace["N_SAMPLES"]
    assert rates["AR (2 passes)"] == 0  # autoregressive: never mixed
    assert rates["mask-predict (2 rounds)"] == 0
    standard_error = (0.25 / n) ** 0.5
    assert abs(rates["NAR (1 pass)"] - 0.5) < 4 * standard_error  # about half the time


def test_over_many_seeds_nar_mixes_half_the_time(run):
    """Two independent fair coin flips disagree half the time: averaged over seeds, the
    share mixed is 0.5 (seed 0's 47.8% is a low draw, 2.7 standard errors below)."""
    ns = run.namespace
    rates = [ns["mixed"](ns["generate"](ns["two"], ns["N_SAMPLES"], [2], seed=s))
             for s in range(1, 11)]
    mean = sum(rates) / (10 * ns["N_SAMPLES"])
    assert abs(mean - 0.5) < 4 * (0.25 / (10 * ns["N_SAMPLES"])) ** 0.5


def test_each_position_alone_is_right(run):
    """The NAR outputs are wrong only together: each position is A half the time."""
    share_a = run.namespace["share_a"]
    assert torch.all((share_a - 0.5).abs() < 0.03)


def test_rounds_follow_the_independence_formula(run):
    """With T rounds of L/T positions, only the first round's picks are independent:
    the share mixed is 1 - 2^(1 - L/T)."""
    length, measured = 8, run.namespace["measured"]
    for rounds, rate in zip([1, 2, 4], measured):
        assert rate == pytest.approx(1 - 2 ** (1 - length / rounds), abs=0.03)
    assert measured[-1] < 0.01  # one position per round: autoregressive, in random order
    assert run.namespace["draft"] < 0.02  # a one-token draft, then the rest at once
    assert "nar_conflict.svg" in run.figures


def test_schedules(snippet):
    module = snippet("ch10/nar_conflict.py")
    for length in (2, 5, 8):
        for rounds in range(1, length + 1):
            schedule = module.mask_predict(length, rounds)
            assert sum(schedule) == length and len(schedule) == rounds
            assert max(schedule) - min(schedule) <= 1
    assert module.mask_predict(8, 8) == module.autoregressive(8)
    assert module.mask_predict(8, 1) == module.non_autoregressive(8)


def test_masked_training_learns_the_conditionals(run):
    """Given one letter, the network puts (almost) all probability on the same letter
    everywhere else: the knowledge that NAR decoding fails to use is in the model."""
    model = run.namespace["eight"]
    tokens = torch.full((2, 8), model.mask)
    tokens[0, 3], tokens[1, 5] = 0, 1
    with torch.no_grad():
        p = model(tokens)  # [2, 8, 2]
    assert p[0, :, 0].min() > 0.99 and p[1, :, 1].min() > 0.99
