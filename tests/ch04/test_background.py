"""Chapter 4: a classifier that learned the background, and the diverse data that fixes it."""

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/background.py").namespace


def test_biased_training_learns_the_background(run):
    train, test, swapped = run["results"]["biased images"]
    assert train >= 0.99
    assert 0.4 <= test <= 0.6  # a coin: the shape is ignored
    assert swapped <= 0.05  # it answers by the background, so swapping it flips every answer


def test_diverse_training_learns_the_shape(run):
    train, test, swapped = run["results"]["diverse images"]
    assert min(train, test, swapped) >= 0.95


def test_backgrounds_follow_the_label_at_the_stated_rate(snippet):
    background = snippet("ch04/background.py")
    for share in (1.0, 0.5, 0.0):
        images, labels = background.make_images(1000, background_matches_label=share, seed=5)
        # [n]: the background's red (snow 0.9, grass 0.25)
        red = images[:, 0].flatten(1).median(1).values
        snow = red > 0.6
        matches = (snow == (labels == 0)).float().mean().item()
        assert matches == pytest.approx(share, abs=0.04)


def test_every_image_holds_its_object(snippet):
    background = snippet("ch04/background.py")
    images, labels = background.make_images(50, background_matches_label=0.5, seed=6)
    dark = (images == 0.1).all(1).sum((1, 2))  # [n]: pixels painted with the object's colour
    expected = torch.tensor([background.shape(int(label)).sum().item() for label in labels])
    assert torch.equal(dark, expected.long())
