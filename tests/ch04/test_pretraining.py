"""Chapter 4: pretraining gave the tiny model knowledge of language and of its world."""

import math

import pytest
import torch
import torch.nn.functional as F


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/pretraining.py").namespace


def test_pretraining_lowers_perplexity_from_a_guess_to_near_certainty(run):
    untrained, pretrained = run["rows"]["held-out perplexity"]
    assert untrained > 200  # about as unsure as a uniform guess over its 640 tokens
    assert pretrained < 3


def test_perplexity_matches_cross_entropy(run, snippet):
    """Our perplexity against PyTorch's cross-entropy on one document at a time."""
    pretraining = snippet("ch04/pretraining.py")
    model, tokenizer = run["pretrained"], run["tokenizer"]
    documents = run["held_out"][:20]
    losses, counts = [], []
    with torch.no_grad():
        for document in documents:
            ids = torch.tensor([tokenizer.encode(document + "\n")])
            losses.append(F.cross_entropy(model(ids[:, :-1])[0], ids[0, 1:], reduction="sum"))
            counts.append(ids.shape[1] - 1)
    expected = math.exp(sum(losses).item() / sum(counts))
    assert pretraining.perplexity(model, tokenizer, documents) == pytest.approx(expected, rel=1e-4)


def test_language_and_world_knowledge(run):
    rows = run["rows"]
    untrained, pretrained = rows["real token order preferred"]
    assert pretrained >= 0.95 and untrained <= 0.7
    untrained, pretrained = rows["English facts completed"]
    assert pretrained >= 0.85 and untrained <= 0.05


def test_pretraining_alone_does_not_answer_questions_about_people_only_read_about(run):
    _, asked_about = run["rows"]["questions, people asked about"]
    _, only_read_about = run["rows"]["questions, people only read about"]
    assert only_read_about < 0.5 < 0.9 <= asked_about
