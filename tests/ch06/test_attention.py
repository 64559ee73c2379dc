"""Chapter 6: attention from scratch equals PyTorch's, and the causal mask hides the future."""

import pytest
import torch
import torch.nn.functional as F

from tinylm import MultiHeadAttention, attention


@pytest.fixture(scope="module")
def example(snippet):
    return snippet("ch06/attention_from_scratch.py")


@pytest.mark.parametrize("seed", range(3))
def test_equals_scaled_dot_product_attention(example, seed):
    for causal, difference in example.against_sdpa(seed).items():
        assert difference < example.TOLERANCE, causal


@pytest.mark.parametrize("seed", range(3))
def test_equals_torch_multihead_attention(example, seed):
    assert example.against_multihead(seed) < example.TOLERANCE
    assert example.against_multihead(seed, d_model=48, n_heads=6) < example.TOLERANCE


def test_queries_of_the_last_positions_see_the_same_keys_as_in_a_full_pass():
    """With a cache, the t_q new queries are the last positions of t_k: the mask must say so."""
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(1, 2, 9, 4, generator=g) for _ in range(3))
    full, _ = attention(q, k, v, causal=True)
    last, _ = attention(q[:, :, -3:], k, v, causal=True)
    reference = F.scaled_dot_product_attention(q, k, v, is_causal=True)[:, :, -3:]
    assert torch.allclose(last, full[:, :, -3:], atol=1e-6)
    assert torch.allclose(last, reference, atol=1e-6)


def test_weights_are_causal_and_sum_to_one(example):
    _, weights = example.one_head()
    assert torch.allclose(weights.sum(-1), torch.ones(5))
    assert (weights.triu(1) == 0).all()
    assert (weights[torch.ones(5, 5, dtype=torch.bool).tril()] > 0).all()


def test_a_later_token_leaves_earlier_outputs_exactly_unchanged(example):
    past, last = example.later_tokens_cannot_change_the_past()
    assert past == 0.0
    assert last > 0.01
    # and for every position, not only the last
    torch.manual_seed(1)
    layer = MultiHeadAttention(16, 2)
    x = torch.randn(1, 8, 16)
    with torch.no_grad():
        before = layer(x)
        for position in range(8):
            changed = x.clone()
            changed[0, position] += 1.0
            after = layer(changed)
            assert torch.equal(after[0, :position], before[0, :position])
            assert not torch.allclose(after[0, position], before[0, position])

