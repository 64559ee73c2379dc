"""Chapter 7: attribution methods checked where the truth is known, then used on the model."""

import pytest
import torch

from tinylm import corpus


@pytest.fixture(scope="module")
def attribution(ran):
    return ran("ch07/attribution.py")


def test_occlusion_is_exact_and_gradient_x_input_is_its_linear_estimate(snippet):
    """Reference: for a linear score, occlusion and gradient x input are the same number,
    w . (x_i - baseline), at every position."""
    attribution = snippet("ch07/attribution.py")
    g = torch.Generator().manual_seed(0)
    w = torch.randn(4, generator=g, dtype=torch.float64)
    x = torch.randn(2, 5, 4, generator=g, dtype=torch.float64)
    baseline = torch.randn(4, generator=g, dtype=torch.float64)

    def score(z, copies=1):
        return (z @ w).sum(1)

    expected = (x - baseline) @ w  # [2, 5]
    assert torch.allclose(attribution.occlusion(score, x, baseline), expected)
    assert torch.allclose(attribution.gradient_x_input(score, x, baseline), expected)


def test_planted_trigger_found_by_occlusion_and_gradients_not_reliably_by_attention(attribution):
    hits = attribution.namespace["trigger_hits"]
    assert len(hits) == 5
    for seed in hits:
        assert hits[seed]["occlusion"] == 1.0
        assert hits[seed]["gradient x input"] > 0.9
    attention = [hits[seed]["attention"] for seed in hits]
    assert min(attention) < 0.2 < 0.9 < max(attention)  # right for some seeds, not others


def test_on_the_tiny_model_the_name_is_what_the_answer_depends_on(attribution):
    ns = attribution.namespace
    assert ns["n"] >= 90
    assert ns["name_hits"]["occlusion"] > 0.9
    assert ns["name_hits"]["attention"] > 0.9
    assert ns["name_hits"]["gradient x input"] > 0.5
    tokenizer = ns["tokenizer"]
    assert tokenizer.decode(ns["targets"]) == " " + corpus.person("Ana").city
