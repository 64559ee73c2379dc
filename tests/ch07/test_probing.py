"""Chapter 7: linear probes find the value the model is about to say, and the control task
shows which part of a probe's accuracy is the probe's own memory."""

import pytest
import torch
import torch.nn.functional as F

from tinylm import corpus


@pytest.fixture(scope="module")
def probing(ran):
    return ran("ch07/probing.py")


def test_probe_equals_least_squares_reference(snippet):
    """Our batched ridge probe matches sklearn-free closed form: torch.linalg.lstsq on the
    augmented system, fitted on the same rows."""
    probing = snippet("ch07/probing.py")
    g = torch.Generator().manual_seed(0)
    x = torch.randn(60, 5, generator=g, dtype=torch.float64)
    labels = torch.randint(0, 3, (60,), generator=g)
    train = torch.zeros(1, 60, dtype=torch.bool)
    train[0, :40] = True
    predicted = probing.fit_probes(x, labels, train, 3, ridge=2.0)[0]
    xt = x[:40]
    mean, std = xt.mean(0), xt.std(0, unbiased=False)
    x1 = F.pad((x - mean) / (std + 1e-6), (0, 1), value=1.0)
    a = torch.cat([x1[:40], 2.0**0.5 * torch.eye(6, dtype=x.dtype)])  # ridge as extra rows
    b = torch.cat([F.one_hot(labels[:40], 3).double(), torch.zeros(6, 3, dtype=x.dtype)])
    weights = torch.linalg.lstsq(a, b).solution
    assert torch.equal(predicted, (x1 @ weights).argmax(1))


def test_value_appears_in_block_2_and_generalises_to_new_people(probing):
    s = probing.namespace["summary"]
    chance = 1 / 8
    for split in ("new contexts", "new people"):  # the embedding of " in" knows no one
        assert s["embedding", "task", split][2] < 0.35
    assert s["block 2", "task", "new contexts"][0] > 0.95
    # on people no probe saw, the task's interval lies above chance and above the control's
    task, control = s["block 2", "task", "new people"], s["block 2", "control", "new people"]
    assert task[1] > 2 * chance
    assert task[1] > control[2]
    assert control[1] < chance < control[2] or control[2] < 0.2  # the control is at chance
    # block 1 already reads part of it on new people: its interval lies above its control's
    task1, control1 = s["block 1", "task", "new people"], s["block 1", "control", "new people"]
    assert task1[1] > control1[2]
    assert task1[0] < task[0]  # but less than block 2
    # accuracy rises with depth
    for split in ("new contexts", "new people"):
        means = [s[layer, "task", split][0] for layer in probing.namespace["LAYERS"]]
        assert means == sorted(means)


def test_the_control_is_learnable_only_for_people_seen(probing):
    s = probing.namespace["summary"]
    assert s["block 2", "control", "new contexts"][0] > 0.8  # memorised person by person
    assert s["block 2", "control", "new people"][0] < 0.2
    assert "probing_by_layer.svg" in probing.figures


def test_control_labels_keep_the_class_frequencies(snippet):
    probing = snippet("ch07/probing.py")
    rows = [(i, "city", 0) for i in range(len(corpus.PEOPLE))]
    task = probing.labels_for(rows, "city", control=False)
    control = probing.labels_for(rows, "city", control=True)
    assert sorted(task.tolist()) == sorted(control.tolist())
    assert not torch.equal(task, control)
