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
    """The loss fine_tune() trains on, against F.cross_entropy with the prompt's tokens
    ignored."""
    tuning = snippet("ch04/instruction_tuning.py")
    model, tokenizer = run["pretrained"], run["tokenizer"]
    ids, mask = tuning.masked_batch(run["train_set"][:16], tokenizer)
    with torch.no_grad():
        logits = model(ids[:, :-1])
        ours = tuning.masked_loss(logits, ids, mask)
        ignored = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
        reference = F.cross_entropy(logits.flatten(0, 1), ignored.flatten(), ignore_index=-100)
    assert ours.item() == pytest.approx(reference.item(), rel=1e-5)
    unmasked = F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())
    assert ours.item() != pytest.approx(unmasked.item(), rel=1e-2)  # the mask matters


def test_wilson_interval_is_where_the_score_test_accepts(snippet):
    """Each end p of the Wilson interval solves (share - p)^2 = z^2 p (1 - p) / n."""
    wilson = snippet("ch04/instruction_tuning.py").wilson
    for successes, n in [(0, 32), (16, 32), (57, 64), (30, 30)]:
        share = successes / n
        low, high = wilson(successes, n)
        assert 0 <= low <= share <= high <= 1
        for p in (low, high):
            assert (share - p) ** 2 == pytest.approx(1.96**2 * p * (1 - p) / n, abs=1e-12)
    low, high = wilson(16, 32)
    assert low == pytest.approx(1 - high, abs=1e-12)  # symmetric about one half


def test_pretraining_carried_the_knowledge(run, snippet):
    wilson = snippet("ch04/instruction_tuning.py").wilson
    results = run["results"]
    assert not any(results["pretrained, not tuned"][0] + results["pretrained, not tuned"][1])
    (tuned_seen, tuned_unseen), (scratch_seen, scratch_unseen) = (
        results["pretrained + tuned"], results["random + tuned"])
    # both learned to answer the questions they were tuned on
    assert min(sum(tuned_seen) / len(tuned_seen), sum(scratch_seen) / len(scratch_seen)) >= 0.75
    # about the others, the pretrained start does better beyond the noise of 32 questions:
    # the two 95% intervals do not overlap
    assert wilson(sum(tuned_unseen), len(tuned_unseen))[0] > wilson(
        sum(scratch_unseen), len(scratch_unseen))[1]
