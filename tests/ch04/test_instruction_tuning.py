"""Chapter 4: instruction tuning from pretrained weights answers about people the
instructions never mention; from random weights it cannot."""

import pytest
import torch
import torch.nn.functional as F


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/instruction_tuning.py").namespace


def test_the_mask_covers_exactly_the_response(run, snippet):
    tuning = snippet("ch04/instruction_tuning.py")
    tokenizer = run["tokenizer"]
    ids, mask = tuning.masked_batch(run["train_set"], tokenizer)
    for row, ((_prompt, answer), m) in enumerate(zip(run["train_set"], mask)):
        assert tokenizer.decode(ids[row][m.bool()].tolist()) == answer
        assert m.sum().item() == len(tokenizer.encode(answer))


def test_masked_loss_is_cross_entropy_on_response_tokens(run, snippet):
    """The loss of fine_tune() against F.cross_entropy with the prompt tokens ignored."""
    tuning = snippet("ch04/instruction_tuning.py")
    model, tokenizer = run["pretrained"], run["tokenizer"]
    ids, mask = tuning.masked_batch(run["train_set"][:16], tokenizer)
    with torch.no_grad():
        logits = model(ids[:, :-1])
        targets, weight = ids[:, 1:], mask[:, 1:].float()
        per_token = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")
        ours = (per_token * weight).sum() / weight.sum()
        ignored = targets.masked_fill(mask[:, 1:] == 0, -100)
        reference = F.cross_entropy(logits.flatten(0, 1), ignored.flatten(), ignore_index=-100)
    assert ours.item() == pytest.approx(reference.item(), rel=1e-5)


def test_pretraining_carried_the_knowledge(run):
    results = run["results"]
    assert results["pretrained, not tuned"] == (0.0, 0.0)  # the format is new to it
    tuned_seen, tuned_unseen = results["pretrained + tuned"]
    scratch_seen, scratch_unseen = results["random + tuned"]
    assert tuned_seen >= 0.95 and scratch_seen >= 0.75  # both learned their instructions
    assert scratch_unseen <= 0.2  # about a pronoun's chance: it never read about them
    assert tuned_unseen >= 0.45
    assert tuned_unseen >= scratch_unseen + 0.35
