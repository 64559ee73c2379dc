"""Chapter 7: activation patching moves the answer; where it does says where the fact is."""

import pytest
import torch


@pytest.fixture(scope="module")
def patching(ran):
    return ran("ch07/activation_patching.py")


def test_patching_nothing_changes_nothing(snippet, ran):
    """Reference: patching a run with its own vector gives the model's own output."""
    patching = snippet("ch07/activation_patching.py")
    ns = ran("ch07/activation_patching.py").namespace
    model, tokenizer = ns["model"], ns["tokenizer"]
    ids = torch.tensor([tokenizer.encode("Ana lives in"), tokenizer.encode("Bruno lives in")])
    with torch.no_grad():
        reference, hidden = model(ids, return_hidden=True)
    for depth in range(3):
        out = patching.run_patched(model, ids, depth, 1, hidden[depth][:, 1])
        assert torch.allclose(out, reference[:, -1], atol=1e-10)


def test_the_fact_travels_from_the_name_to_the_last_position(patching):
    ns = patching.namespace
    moved, kept, n = ns["moved"], ns["kept"], ns["n"]
    assert n >= 90
    assert moved[0, 0] == 1.0 and kept[0, 0] == 0.0  # at the input, the name decides all
    # control: after blocks 1 and 2 the vector at "lives" has seen the name, yet moves nothing
    # (at the embedding the patch is a no-op: both prompts have the same token there)
    assert moved[1:, 1].sum() == 0 and kept[1:, 1].min() == 1.0
    assert moved[2, 2] == 1.0 and moved[2, 0] == 0.0  # after block 2, only the last one
    # after block 1 the information is split: each position alone moves part of the answers
    lows = [ns["wilson"](moved[1, p].item(), n)[0] for p in (0, 2)]
    assert min(lows) > 0.15 and moved[1, 0] < 0.9 and moved[1, 2] < 0.9
    assert "activation_patching.svg" in patching.figures
