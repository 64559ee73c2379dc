"""Chapter 6, exercise: rotary position embeddings (RoPE, arXiv 2104.09864)."""

import pytest
import torch


@pytest.fixture(scope="module")
def rope(snippet):
    return snippet("ch06/exercise_rope.py")


def test_equals_the_papers_complex_form(rope):
    g = torch.Generator().manual_seed(1)
    for shape in [(3, 7, 8), (2, 4, 33, 12), (1, 1, 5, 64)]:
        x = torch.randn(*shape, generator=g, dtype=torch.float64)
        positions = torch.randint(0, 10_000, (shape[-2],), generator=g).double()
        assert torch.allclose(rope.rotate(x, positions), rope.reference_rotate(x, positions),
                              atol=1e-9)


def test_a_rotation_keeps_lengths(rope):
    x = torch.randn(4, 10, 16, dtype=torch.float64)
    turned = rope.rotate(x, torch.arange(100, 110, dtype=torch.float64))
    assert torch.allclose(turned.norm(dim=-1), x.norm(dim=-1))


def test_a_score_depends_only_on_the_offset(rope):
    g = torch.Generator().manual_seed(2)
    q, k = (torch.randn(12, generator=g, dtype=torch.float64) for _ in range(2))
    for m, n in [(5, 2), (2, 5), (0, 0), (47, 10)]:
        expected = rope.score(q, k, m, n)
        for shift in (1, 48, 1000, 123_456):  # far past a 48-token context
            assert rope.score(q, k, m + shift, n + shift) == pytest.approx(expected, abs=1e-9)
    assert abs(rope.score(q, k, 5, 2) - rope.score(q, k, 6, 2)) > 1e-3  # offset matters


def test_reads_past_the_trained_context(rope, ran):
    """The rotary layer runs at any position and gives the same outputs for the same
    text moved far on; the tiny model, with learned positions, cannot read token 49."""
    ns = ran("ch06/exercise_rope.py").namespace
    assert ns["shift"] < 1e-9
    layer = ns["layer"]
    text = torch.randn(1, 60, 48, dtype=torch.float64)  # longer than any context here
    with torch.no_grad():
        assert torch.allclose(layer(text), layer(text, start=10_000), atol=1e-9)
        out = layer(text)
        changed = text.clone()
        changed[0, -1] += 1.0
        assert torch.equal(layer(changed)[0, :-1], out[0, :-1])  # still causal
    model = ns["model"]
    with pytest.raises(IndexError):
        model(torch.zeros(1, model.config.context + 1, dtype=torch.long))
