"""Chapter 6: attention's cost grows with the square of the length."""

import time

import pytest
import torch

from tinylm import attention


@pytest.fixture(scope="module")
def counted(ran):
    return ran("ch06/long_context_cost.py")


def test_fitted_slopes(counted):
    fitted = counted.namespace["fitted"]
    assert fitted["attention FLOPs"] == pytest.approx(2.0, abs=0.01)
    assert fitted["attention memory"] == pytest.approx(2.0, abs=0.01)
    assert fitted["other FLOPs"] == pytest.approx(1.0, abs=0.01)
    assert 1.8 < fitted["the whole block, 4096-16384 tokens"] < 2.0


def test_counts_match_the_closed_form(counted):
    """q k^T and weights @ v: 2 t^2 d each; projections 8 t d^2, feed-forward 16 t d^2."""
    config = counted.namespace["Config"]()
    d = config.d_model
    for t, cost in zip(counted.namespace["LENGTHS"], counted.namespace["costs"]):
        assert cost["attention"] == 4 * t * t * d
        assert cost["rest"] == 24 * t * d * d
        assert cost["bytes"] == config.n_heads * t * t * 4  # float32 weights, every head


def test_measured_time_grows_about_quadratically(snippet):
    """Timed here, never printed (times depend on the machine): the fastest of several
    rounds, the lengths interleaved so that a busy machine slows them alike, at lengths
    where the t^2 work dominates. The tolerance is generous: past the CPU's caches, memory
    traffic makes long inputs slower still, but a linear cost (slope 1) would fail."""
    module = snippet("ch06/long_context_cost.py")
    lengths = [256, 512, 1024]
    g = torch.Generator().manual_seed(0)
    inputs = [[torch.randn(1, 1, t, 64, generator=g) for _ in range(3)] for t in lengths]
    best = [float("inf")] * len(lengths)
    for _ in range(10):
        for i, (q, k, v) in enumerate(inputs):
            start = time.perf_counter()
            attention(q, k, v, causal=True)
            best[i] = min(best[i], time.perf_counter() - start)
    assert 1.4 < module.slope(lengths, best) < 3.0
