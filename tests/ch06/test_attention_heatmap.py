"""Chapter 6: where the trained model looks, and the control that moves the name."""

import pytest
import torch

from tinylm import corpus


@pytest.fixture(scope="module")
def heatmap(ran):
    return ran("ch06/attention_heatmap.py").namespace


@pytest.fixture(scope="module")
def control(ran):
    return ran("ch06/attention_follows_the_name.py").namespace


def test_weights_are_causal_distributions(heatmap):
    weights = heatmap["weights"]
    assert torch.allclose(weights.sum(-1), torch.ones(weights.shape[:-1]), atol=1e-5)
    assert (weights.triu(1) == 0).all()  # nothing from later positions


def test_to_name_the_job_and_the_pet_the_last_layer_looks_back_at_the_name(heatmap):
    tokens, weights, probabilities = heatmap["tokens"], heatmap["weights"], heatmap["probabilities"]
    tokenizer, ana = heatmap["tokenizer"], corpus.person("Ana")
    name = tokens.index("Ana")
    queries = [i for i, token in enumerate(tokens) if token == " a"]
    for query, value in zip(queries, (ana.job, ana.pet)):
        assert tokenizer.decode([int(probabilities[query].argmax())]) == " " + value
        assert weights[1, :, query, name].max() > 0.9  # some head of layer 2 looks at "Ana"
        assert weights[1, :, query, name].mean() > 0.5


def test_the_measured_positions_are_the_names(control):
    """The spans the control reads are the names' tokens, wherever they stand."""
    tokenizer = control["tokenizer"]
    for first, person in control["texts"](moved=True)[::50]:
        before = f"{first.name} lives in {first.city}.\n"
        ids = tokenizer.encode(before + control["paragraph"](person))
        start = len(tokenizer.encode(before))
        end = len(tokenizer.encode(before + person.name))
        assert start > 0 and tokenizer.decode(ids[start:end]) == person.name
        assert tokenizer.decode(ids[: len(tokenizer.encode(first.name))]) == first.name


def test_attention_and_prediction_follow_the_name_not_position_0(control):
    swapped, moved = control["results"][False], control["results"][True]
    wilson = control["wilson"]

    def low(hits):
        return wilson(sum(hits), len(hits))[0]

    assert len(swapped) == 2 * len(corpus.PEOPLE)  # the job and the pet of everyone
    assert low([r["predicted"] == r["value"] for r in swapped]) > 0.75
    right = [r["predicted"] == r["value"] for r in moved]
    differs = [r for r in moved if r["first's value"] != r["value"]]
    wrong_person = [r["predicted"] == r["first's value"] for r in differs]
    assert low(right) > 0.7  # the prediction follows the moved name ...
    assert wilson(sum(wrong_person), len(wrong_person))[1] < 0.2  # ... not position 0
    on_name = sum(r["on the name"] for r in moved) / len(moved)
    on_first = sum(r["on the first name"] for r in moved) / len(moved)
    assert on_name > 0.5 and on_name > 2 * on_first  # so does the weight


def test_wilson_interval_matches_the_closed_form(control):
    low, high = control["wilson"](8, 10)  # Wilson (1927); e.g. Agresti & Coull, 1998
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
