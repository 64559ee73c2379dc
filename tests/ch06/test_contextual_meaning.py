"""Chapter 6: a token's vector starts the same everywhere and is changed by its context."""

import pytest

from tinylm import corpus


def test_same_token_same_start_different_end(ran):
    ns = ran("ch06/contextual_meaning.py").namespace
    for pair, similarities in ns["similarities"].items():
        assert similarities[0] == pytest.approx(1.0, abs=1e-6), pair  # the same embedding
        assert similarities[-1] < 0.6, pair  # different contexts, different vectors
    same_template = ns["similarities"]["Ana is a", "Chidi is a"]
    assert same_template[1] > same_template[2]  # they part in the second block


def test_the_different_vectors_predict_different_facts(ran):
    printed = ran("ch06/contextual_meaning.py").stdout
    ana, chidi = corpus.person("Ana"), corpus.person("Chidi")
    assert f"after 'Ana is a' the model predicts ' {ana.job}'" in printed
    assert f"after 'Ana has a' the model predicts ' {ana.pet}'" in printed
    assert f"after 'Chidi is a' the model predicts ' {chidi.job}'" in printed
    assert ana.job != chidi.job
