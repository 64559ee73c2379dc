"""Chapter 8: the bootstrap rule, and a gap that only the large benchmark resolves."""

import math

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch08/score_noise.py").namespace


def test_interval_agrees_with_the_normal_approximation(snippet):
    noise = snippet("ch08/score_noise.py")
    scores = torch.tensor([1.0] * 700 + [0.0] * 300)  # accuracy 0.7, n = 1000
    low, high = noise.interval(scores)
    half = 1.96 * math.sqrt(0.7 * 0.3 / 1000)  # the textbook (Wald) interval
    assert low == pytest.approx(0.7 - half, abs=0.006)
    assert high == pytest.approx(0.7 + half, abs=0.006)


def test_paired_difference_is_the_interval_of_differences(snippet):
    noise = snippet("ch08/score_noise.py")
    a = torch.tensor([1.0, 1, 0, 1, 1, 0, 1, 1] * 25)
    b = torch.tensor([1.0, 0, 0, 1, 0, 0, 1, 1] * 25)
    assert noise.difference(a, b) == noise.interval(a - b)
    assert noise.beyond_noise(a, b) and not noise.beyond_noise(a, a)


def test_intervals_shrink_like_one_over_root_n(run):
    widths = {row["n"]: row["original"][1][1] - row["original"][1][0] for row in run["rows"]}
    difference = {row["n"]: row["difference"][1] for row in run["rows"]}
    assert widths[1000] < widths[200]
    low, high = difference[1000]
    assert low > 0  # at 1,000 items the original is better, beyond the noise
    assert difference[50][0] <= 0 <= difference[50][1]  # at 50 it is not
    assert difference[200][0] <= 0 <= difference[200][1]


def test_the_four_bit_model_is_a_few_points_worse(run):
    a, b = run["scores"]["original"], run["scores"]["4-bit"]
    assert len(a) >= 1000
    assert 0.005 < (a.mean() - b.mean()).item() < 0.05
    assert run["wins"]["4-bit"] > 0  # some 50-item benchmarks rank them the wrong way


def test_items_are_cut_from_held_out_text_where_it_states_a_value(run, monkeypatch):
    """The benchmark reads the held-out documents (none of them in the training text), and
    makes an item of every place where a word is a value."""
    monkeypatch.setattr(run["corpus"], "held_out_documents",
                        lambda rounds: ["Zed is a nurse. Zed lives in Oslo.", "Zed 是 nurse."])
    assert run["completion_items"]() == [
        ("Zed is a", " nurse"), ("Zed is a nurse. Zed lives in", " Oslo")]
