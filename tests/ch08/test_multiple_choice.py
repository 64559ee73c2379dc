"""Chapter 8: one benchmark, one model, very different scores, and position bias."""

import itertools

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch08/multiple_choice.py").namespace


def test_the_scorings_disagree_beyond_the_noise(run):
    cloze, letter = run["cloze"], run["letter_right"].mean(1)
    assert cloze.mean() >= 0.95
    assert abs(letter.mean() - 0.25) < 0.02  # chance, with four options
    assert run["difference"](cloze, letter)[0] > 0.5
    assert run["letter"].sum() == 0  # it never answers with a letter alone
    assert 0.1 < run["content"].mean() < 0.4


def test_letters_show_a_position_bias_that_averaging_removes(run):
    right, place = run["letter_right"], run["place"]
    assert right[place == 0].mean() > 0.9
    assert all(right[place == k].mean() < 0.1 for k in (1, 2, 3))
    # averaging over the orderings: the verdict no longer depends on the ordering
    listed = run["listed"]
    assert run["permutation_average"](listed, run["items"]).mean() >= run["cloze"].mean()


def test_permutation_average_is_the_brute_force_average(run):
    items, scores = run["items"][:5], run["listed"][:5]
    expected = []
    for n, item in enumerate(items):
        by_option = [0.0] * 4
        for k, order in enumerate(itertools.permutations(range(4))):
            for place, i in enumerate(order):
                by_option[i] += scores[n, k, place].exp().item()
        expected.append(float(max(range(4), key=by_option.__getitem__) == item.right))
    assert run["permutation_average"](scores, items).tolist() == expected


def test_the_right_option_is_always_among_the_four(run):
    for item in run["items"]:
        assert item.person.value(item.attribute) in item.options
        assert len(set(item.options)) == 4
    assert len(run["items"]) == 96 and len(run["ORDERINGS"]) == 24


def test_next_token_scores_match_an_unpadded_pass(run):
    model, tokenizer = run["model"], run["tokenizer"]
    prompts = [run["items"][0].lettered((0, 1, 2, 3)), "Ana lives in"]
    rows = [tokenizer.encode(p) for p in prompts]
    batched = run["next_token_scores"](model, rows)
    for row, scores in zip(rows, batched):
        with torch.no_grad():
            alone = model(torch.tensor([row]))[0, -1].log_softmax(-1)
        assert torch.allclose(scores, alone, atol=1e-5)
