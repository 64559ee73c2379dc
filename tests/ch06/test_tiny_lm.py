"""Chapter 6: the book's tiny language model, its committed weights and what it knows."""

import math
from pathlib import Path

import pytest
import torch

import tinylm
from harness.weights import beyond_promise
from tinylm.evaluate import knowledge

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "snippets" / "tinylm"
TRAINING = ROOT / "snippets" / "ch06" / "train_tiny_lm.py"
UPDATE = "python3 dev.py update"


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
        f"training settings changed since it was trained. Run `{UPDATE}`: it retrains the "
        "model first (about 15 s), then reruns every example that loads it; commit the new "
        "tiny_lm.pt, tokenizer.json and outputs."
    )


def test_committed_weights_are_what_the_training_produces(training):
    """The suite's own training run ends close to the committed parameters: as close as a
    retrain on any CPU does (tests/harness/weights.py), far closer than another training."""
    why = beyond_promise(tinylm.load_weights()["state_dict"], training["model"].state_dict())
    assert why is None, (
        f"Training the tiny model again does not end where the committed weights are: {why}. "
        f"Run `{UPDATE}` and commit the new weights and outputs."
    )
    assert tinylm.Tokenizer.load(PACKAGE / "tokenizer.json").merges == training["tokenizer"].merges


def test_the_weights_promise_tells_another_training_apart(training):
    """The tolerance is not so wide that a different training would pass."""
    committed = tinylm.load_weights()["state_dict"]
    torch.manual_seed(1)  # another seed: another model of the same shape
    other = tinylm.TinyLM(training["model"].config).state_dict()
    assert beyond_promise(committed, other) is not None
    nudged = {name: tensor + 1e-4 for name, tensor in committed.items()}
    assert beyond_promise(committed, nudged) is None


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


def test_the_held_out_loss_follows_the_training_loss_down(training):
    """What the loss figure shows: held-out loss (log perplexity) falls at every
    measurement, and ends where the training loss ends: no gap, no overfitting."""
    held_out = [math.log(p) for _, p in sorted(training["held_out_perplexity"].items())]
    assert all(later < earlier for earlier, later in zip(held_out, held_out[1:]))
    assert abs(held_out[-1] - sum(training["losses"][-20:]) / 20) < 0.1


# --- the interface later chapters use (CONTRIBUTING: "The book's tiny language model") ---


def test_forward_and_hidden_states(pretrained):
    model, tokenizer = pretrained
    ids = torch.tensor([tokenizer.encode("Ana lives in Lisbon.")] * 2)
    logits, hidden = model(ids, return_hidden=True)
    config = model.config
    assert logits.shape == (2, ids.shape[1], config.vocab_size)
    assert len(hidden) == config.n_layers + 1
    assert all(h.shape == (2, ids.shape[1], config.d_model) for h in hidden)
    assert torch.allclose(model.head(model.final_norm(hidden[-1])), logits)
    assert torch.equal(model(ids), logits)


def test_generate_returns_the_continuation_cut_at_stop(pretrained):
    model, tokenizer = pretrained
    ana = tinylm.corpus.person("Ana")
    answer = tinylm.generate(model, tokenizer, tinylm.corpus.question(ana, "city"))
    assert answer == tinylm.corpus.answer(ana, "city")  # " Ana lives in Lisbon."
    longer = tinylm.generate(model, tokenizer, "Ana lives in", max_new_tokens=30, stop=None)
    assert longer.startswith(" " + ana.city) and "\n" in longer
    assert tinylm.generate(model, tokenizer, "", max_new_tokens=5)  # empty prompt: works


def test_sampling_is_seeded_and_the_hook_sees_every_step(pretrained):
    model, tokenizer = pretrained
    draws = {
        tinylm.generate(model, tokenizer, "Ana", 20, temperature=1.5, seed=s) for s in range(4)
    }
    assert len(draws) > 1
    assert tinylm.generate(model, tokenizer, "Ana", 20, 1.5, seed=3) == tinylm.generate(
        model, tokenizer, "Ana", 20, 1.5, seed=3
    )
    seen = []

    def ban_lisbon(logits, ids):
        seen.append(len(ids))
        logits = logits.clone()
        logits[tokenizer.encode(" Lisbon")[0]] = float("-inf")
        return logits

    text = tinylm.generate(model, tokenizer, "Ana lives in", 5, stop=None, logits_hook=ban_lisbon)
    assert "Lisbon" not in text
    assert seen == list(range(3, 8))  # called once per new token, with the ids so far


def test_a_fresh_model_of_any_size_is_causal():
    config = tinylm.Config(vocab_size=100, d_model=16, n_heads=2, n_layers=3, context=8)
    torch.manual_seed(0)
    model = tinylm.TinyLM(config)
    ids = torch.randint(100, (3, 8))
    changed = ids.clone()
    changed[:, 5] = (ids[:, 5] + 1) % 100
    with torch.no_grad():
        before, after = model(ids), model(changed)
    assert before.shape == (3, 8, 100)
    assert torch.equal(before[:, :5], after[:, :5])  # a token changes nothing before it
    assert not torch.allclose(before[:, 5:], after[:, 5:])


def test_the_corpus_keeps_its_promises(pretrained):
    _, tokenizer = pretrained
    corpus = tinylm.corpus
    assert corpus.world() == corpus.PEOPLE  # deterministic
    qa, others = corpus.QA_PEOPLE, corpus.HELD_OUT_PEOPLE
    assert len(qa) == 16 and len(others) == 8 and not set(qa) & set(others)
    text = corpus.pretraining_text()
    for person in corpus.PEOPLE:
        asked = any(corpus.question(person, a) in text for a in corpus.ATTRIBUTES)
        assert asked == (person in qa)  # questions about QA_PEOPLE only
        assert corpus.fact(person, "city") in text  # every person's facts in English prose
        assert person.name_zh in text  # and in Chinese
    assert "問：" not in text  # Chinese chat is offered, not trained on
    documents = corpus.training_documents() + corpus.held_out_documents()
    longest = max(len(tokenizer.encode(d + "\n")) for d in documents)
    assert longest <= tinylm.Config().context  # every document fits the context
