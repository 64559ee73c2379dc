"""Chapter 6: where the trained model looks."""

import pytest
import torch

from tinylm import corpus


@pytest.fixture(scope="module")
def heatmap(ran):
    return ran("ch06/attention_heatmap.py")


def test_weights_are_causal_distributions(heatmap):
    weights = heatmap.namespace["weights"]
    n_tokens = len(heatmap.namespace["tokens"])
    assert weights.shape == (2, 4, n_tokens, n_tokens)
    assert torch.allclose(weights.sum(-1), torch.ones(2, 4, n_tokens), atol=1e-5)
    assert (weights.triu(1) == 0).all()
    assert "attention_heatmap.svg" in heatmap.figures


def test_to_name_the_job_and_the_pet_the_last_layer_looks_back_at_the_name(heatmap):
    ns = heatmap.namespace
    tokens, weights, probabilities = ns["tokens"], ns["weights"], ns["probabilities"]
    tokenizer, ana = ns["tokenizer"], corpus.person("Ana")
    name = tokens.index("Ana")
    queries = [i for i, token in enumerate(tokens) if token == " a"]
    for query, value in zip(queries, (ana.job, ana.pet)):
        assert tokenizer.decode([int(probabilities[query].argmax())]) == " " + value
        assert weights[1, :, query, name].max() > 0.9  # some head of layer 2 looks at "Ana"
        assert weights[1, :, query, name].mean() > 0.5
