"""Chapter 9: a classifier learns the skew of its data; each intervention measured."""

import torch


def test_swapping_the_group_changes_only_the_group(snippet):
    bias = snippet("ch09/bias.py")
    x, _, _ = bias.applicants(100, 0)
    swapped = bias.swap_group(x)
    assert torch.equal(swapped[:, :3], x[:, :3])
    assert torch.equal(bias.swap_group(swapped), x)
    assert ((swapped[:, 3] - x[:, 3]).abs() == 1).all()


def test_averaging_over_groups_cannot_flip(snippet):
    bias = snippet("ch09/bias.py")
    x, past, _ = bias.applicants(500, 1)
    model = bias.train(x, past, steps=50)
    same = bias.decide(model, x, average_groups=True)
    assert torch.equal(same, bias.decide(model, bias.swap_group(x), average_groups=True))


def test_each_intervention_as_the_page_says(ran):
    ns = ran("ch09/bias.py").namespace
    results = ns["results"]

    def mean(name, column):
        return sum(r[column] for r in results[name]) / len(results[name])

    assert ns["weights"][3] < -2  # the model learned to hold group B back
    assert mean("none", 0) > 0.2 and mean("none", 1) > 0.2
    for name in ["data: counterfactual augmentation", "training: counterfactual pairing",
                 "inference: average over groups"]:
        assert mean(name, 0) < 0.01  # the group alone no longer flips decisions
    for name in ["data: counterfactual augmentation", "training: counterfactual pairing"]:
        assert 0.04 < mean(name, 1) < mean("none", 1) / 2  # the proxy keeps part of the gap
    for name in ["inference: average over groups", "output: per-group thresholds"]:
        assert abs(mean(name, 1)) < 0.04
    assert mean("output: per-group thresholds", 2) > mean("none", 2)
    assert mean("inference: average over groups", 2) < mean("none", 2)


def test_without_the_group_the_model_turns_to_the_district(ran):
    district = ran("ch09/bias.py").namespace["district"]

    def mean(w):
        return sum(w) / len(w)

    assert abs(mean(district["none"])) < 0.5  # the biased model uses the group itself
    for name in ("data", "training"):
        assert mean(district[name]) < mean(district["none"]) - 1  # the proxy takes its place
