"""Chapter 6: a token's vector starts the same everywhere and is changed by its context."""

import pytest
import torch

from tinylm import corpus


def test_same_token_same_start_different_end(ran):
    ns = ran("ch06/contextual_meaning.py").namespace
    for pair, similarities in ns["similarities"].items():
        assert similarities[0] == pytest.approx(1.0, abs=1e-6), pair  # the same embedding
        assert similarities[-1] < 0.6, pair  # different contexts, different vectors
    same_template = ns["similarities"]["Ana is a", "Chidi is a"]
    assert same_template[1] > same_template[2]  # they part in the second block


def test_the_different_vectors_predict_different_facts(ran):
    ns = ran("ch06/contextual_meaning.py").namespace
    model, tokenizer = ns["model"], ns["tokenizer"]
    ana, chidi = corpus.person("Ana"), corpus.person("Chidi")
    for text, value in [("Ana is a", ana.job), ("Ana has a", ana.pet), ("Chidi is a", chidi.job)]:
        with torch.no_grad():
            logits = model(torch.tensor([tokenizer.encode(text)]))[0, -1]
        assert tokenizer.decode([int(logits.argmax())]) == " " + value
    assert ana.job != chidi.job
