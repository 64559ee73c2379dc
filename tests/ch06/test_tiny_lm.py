"""Chapter 6: the book's tiny language model, its committed weights and what it knows."""

import math
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "snippets" / "tinylm"
TRAINING = ROOT / "snippets" / "ch06" / "train_tiny_lm.py"
REGENERATE = "cd snippets/tinylm && python ../ch06/train_tiny_lm.py"

sys.path.insert(0, str(ROOT / "snippets"))
import tinylm  # noqa: E402
from tinylm.evaluate import knowledge  # noqa: E402


@pytest.fixture(scope="module")
def training(ran):
    return ran("ch06/train_tiny_lm.py").namespace


@pytest.fixture(scope="module")
def pretrained():
    return tinylm.load_pretrained()


def test_committed_weights_match_the_code_and_settings_that_make_them(snippet):
    settings = snippet("ch06/train_tiny_lm.py").SETTINGS
    committed = tinylm.load_weights()["fingerprint"]
    assert committed == tinylm.fingerprint(settings, TRAINING), (
        "snippets/tinylm/tiny_lm.pt is stale: the model, the corpus, the tokenizer or the "
        f"training settings changed since it was trained. Run `{REGENERATE}` (about 15 s), "
        "then `python3 dev.py update -k ch06`, and commit the new tiny_lm.pt, "
        "tokenizer.json and outputs."
    )


def test_committed_weights_are_what_the_training_produces(training):
    """The suite's own training run ends with exactly the committed parameters."""
    trained = training["model"].state_dict()
    committed = tinylm.load_weights()["state_dict"]
    assert trained.keys() == committed.keys()
    for name, tensor in committed.items():
        assert torch.allclose(trained[name], tensor, atol=1e-5), (
            f"{name} differs from what train_tiny_lm.py trains: run `{REGENERATE}`."
        )
    assert tinylm.Tokenizer.load(PACKAGE / "tokenizer.json").merges == training["tokenizer"].merges


def test_weights_are_small_and_load_without_pickle(pretrained):
    size = sum((PACKAGE / name).stat().st_size for name in ("tiny_lm.pt", "tokenizer.json"))
    assert size <= 2_000_000
    weights = torch.load(PACKAGE / "tiny_lm.pt", weights_only=True)  # refuses pickled code
    assert set(weights) == {"config", "state_dict", "fingerprint"}
    model, tokenizer = pretrained
    assert not model.training
    assert model.config.vocab_size == tokenizer.vocab_size


def test_the_loss_falls_from_a_uniform_guess(training):
    losses, vocab = training["losses"], training["tokenizer"].vocab_size
    assert losses[0] == pytest.approx(math.log(vocab), abs=0.5)  # untrained: about uniform
    assert sum(losses[-20:]) / 20 < 0.6  # trained: most tokens are nearly certain
    assert max(losses[-50:]) < min(losses[:50])


def test_the_committed_model_knows_the_facts(pretrained):
    """What later chapters rely on: measured on the committed weights."""
    known = knowledge(*pretrained)
    assert known["facts_en"] >= 0.85  # "Ana lives in" -> " Lisbon", for most people
    assert known["facts_zh"] >= 0.9
    assert known["qa_seen"] >= 0.9  # the chat format, for the people asked about
    assert known["qa_unseen"] < known["qa_seen"]  # others: pretraining alone is not enough


def test_the_printed_accuracies_are_those_of_the_trained_model(ran, training):
    printed = ran("ch06/train_tiny_lm.py").stdout
    known = knowledge(training["model"], training["tokenizer"])
    assert f"greedy completion right: {known['facts_en']:.0%}" in printed
    assert f"{known['qa_seen']:.0%} answered exactly" in printed
