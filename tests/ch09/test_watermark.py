"""Chapter 9: the watermark is what Kirchenbauer et al. describe, and it is detected
as the page says."""

import math

import torch


def test_green_lists_hold_gamma_of_the_vocabulary(snippet):
    watermark = snippet("ch09/watermark.py")
    for gamma in (0.5, 0.25):
        green = watermark.green_lists(640, gamma)
        assert green.shape == (640, 640)
        assert (green.sum(1) == int(gamma * 640)).all()
        # each previous token draws its own list: two lists share about gamma of their tokens
        shared = (green[1:] & green[0]).sum(1).double() / int(gamma * 640)  # [639]
        assert abs(shared.mean().item() - gamma) < 0.02 and shared.max().item() < 1
        # and no token is favoured: each is green after about gamma of the previous tokens
        column = green.double().mean(0)  # [640]
        assert (column - gamma).abs().max().item() < 5 * (gamma * (1 - gamma) / 640) ** 0.5
    # the key decides the lists: another key, other lists
    assert not torch.equal(watermark.green_lists(640, key=1), watermark.green_lists(640, key=2))


def test_z_score_is_the_papers_formula(snippet):
    watermark = snippet("ch09/watermark.py")
    green = watermark.green_lists(640)
    ids = torch.randint(640, (5, 30), generator=torch.Generator().manual_seed(0))
    for row, z in zip(ids.tolist(), watermark.z_score(ids, green).tolist()):
        count = sum(bool(green[a, b]) for a, b in zip(row, row[1:]))  # |s|_G
        t, gamma = len(row) - 1, 0.5
        assert math.isclose(z, (count - gamma * t) / math.sqrt(t * gamma * (1 - gamma)),
                            rel_tol=1e-6)


def test_detection_grows_with_delta_and_length_never_on_plain_text(ran):
    ns = ran("ch09/watermark.py").namespace
    rates, summary = ns["rates"], ns["summary"]
    assert all(r == 0 for r in rates[0.0])  # no false alarm on plain text
    for delta in (1.0, 2.0, 4.0):
        assert rates[delta] == sorted(rates[delta])  # longer text, more detected
    assert rates[4.0][-1] >= 0.85
    means = [summary[d][0] for d in (0.0, 1.0, 2.0, 4.0)]
    assert means == sorted(means)


def test_only_the_strongest_watermark_costs_perplexity(ran):
    summary = ran("ch09/watermark.py").namespace["summary"]
    _, _, low_plain, high_plain = summary[0.0]
    assert summary[4.0][2] > high_plain  # delta 4: intervals apart
    for delta in (1.0, 2.0):
        assert summary[delta][2] < high_plain and summary[delta][3] > low_plain  # overlap


def test_substitution_erases_the_watermark(ran):
    erased = ran("ch09/watermark.py").namespace["erased"]
    shares = sorted(erased)
    z_means = [erased[s][0] for s in shares]
    assert z_means == sorted(z_means, reverse=True)
    assert erased[0.4][1] == 0
