"""Chapter 7: the logit lens; the final answer rises layer by layer."""

import pytest
import torch

from tinylm import corpus


@pytest.fixture(scope="module")
def lens(ran):
    return ran("ch07/logit_lens.py")


def test_last_depth_of_the_lens_is_the_model_itself(lens):
    ns = lens.namespace
    model, tokenizer = ns["model"], ns["tokenizer"]
    ids = torch.tensor([tokenizer.encode(ns["SENTENCE"])])
    with torch.no_grad():
        reference = model(ids).softmax(-1)[0]  # the model's own output
    assert torch.allclose(ns["probabilities"][-1], reference, atol=1e-12)


def test_the_answer_rises_layer_by_layer(lens):
    ranks, p_final = lens.namespace["ranks"], lens.namespace["p_final"]
    assert ranks.shape == (3, 96)
    medians = [r.median().item() for r in ranks.double()]
    assert medians[0] > 1 and medians[-1] == 1
    means = p_final.mean(1).tolist()
    assert means[0] < means[1] < means[2]
    top1 = (ranks == 1).double().mean(1).tolist()
    assert top1[0] < 0.3 < top1[1] < 0.7 < top1[2] == 1.0
    assert lens.namespace["right"] >= 94
    assert "logit_lens.svg" in lens.figures


def test_block_1_guesses_a_pet_block_2_corrects_it(lens):
    ns = lens.namespace
    tokenizer, probabilities, tokens = ns["tokenizer"], ns["probabilities"], ns["tokens"]
    ana = next(p for p in corpus.PEOPLE if p.name == "Ana")
    pets = {" " + v for v, _ in corpus.VALUES["pet"]}
    cities = {" " + v for v, _ in corpus.VALUES["city"]}

    def top(depth, where):
        return tokenizer.decode([int(probabilities[depth, where].argmax())])

    after_pet, after_in = len(tokens) - 3, tokens.index(" in")
    assert top(1, after_pet) in pets - {" " + ana.pet}  # an animal, the wrong one
    assert top(2, after_pet) == " " + ana.pet
    assert top(1, after_in) in cities - {" " + ana.city}
    assert top(2, after_in) == " " + ana.city
