"""Chapter 1: softmax with temperature, checked against PyTorch and its limits."""

import pytest
import torch


@pytest.fixture(scope="module")
def temperature(snippet):
    return snippet("ch01/temperature.py")


@pytest.mark.parametrize("t", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_matches_torch_softmax(temperature, t):
    ours = temperature.softmax_with_temperature(temperature.LOGITS, t)
    reference = torch.softmax(temperature.LOGITS / t, dim=-1)
    torch.testing.assert_close(ours, reference)
    assert ours.sum().item() == pytest.approx(1.0, abs=1e-6)


def test_low_temperature_is_greedy_and_high_is_uniform(temperature):
    logits = temperature.LOGITS
    cold = temperature.softmax_with_temperature(logits, 0.01)
    hot = temperature.softmax_with_temperature(logits, 1000.0)
    assert cold[logits.argmax()].item() == pytest.approx(1.0, abs=1e-6)
    torch.testing.assert_close(hot, torch.full_like(hot, 1 / len(logits)), atol=1e-2, rtol=0)


def test_entropy_rises_with_temperature(temperature):
    entropies = [
        torch.special.entr(temperature.softmax_with_temperature(temperature.LOGITS, t)).sum()
        for t in (0.1, 0.5, 1.0, 2.0, 10.0)
    ]
    assert all(a < b for a, b in zip(entropies, entropies[1:]))
