"""Chapter 9: zero-shot detectors of the tiny model's text, and where they fail."""

import torch


def test_auroc_is_the_share_of_correctly_ordered_pairs(snippet):
    auroc = snippet("ch09/detect_machine_text.py").auroc
    generator = torch.Generator().manual_seed(0)
    machine = torch.randint(6, (40,), generator=generator).double()  # ties on purpose
    human = torch.randint(6, (30,), generator=generator).double()
    pairs = [(m, h) for m in machine.tolist() for h in human.tolist()]
    reference = sum(1.0 if m > h else 0.5 if m == h else 0.0 for m, h in pairs) / len(pairs)
    assert abs(auroc(machine, human) - reference) < 1e-12
    assert auroc(human + 100, human) == 1.0


def test_likelihood_detects_low_temperature_and_longer_text(ran):
    results = ran("ch09/detect_machine_text.py").namespace["results"]
    (a_cold, low_cold, _), _ = results[0.7, 32]
    (a_warm, _, high_warm), _ = results[1.0, 32]
    assert a_cold > 0.9 and low_cold > high_warm  # temperature 0.7: beyond the noise
    (a_short, _, high_short), _ = results[0.7, 8]
    assert low_cold > high_short  # 32 tokens beat 8
    assert a_warm > 0.6  # temperature 1: better than a coin, far from perfect


def test_this_curvature_is_no_better_than_chance(ran):
    results = ran("ch09/detect_machine_text.py").namespace["results"]
    for _, (_, _, high) in results.values():
        assert high < 0.6
