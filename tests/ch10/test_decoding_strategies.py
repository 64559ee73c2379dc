"""Chapter 10: top-k, top-p and beam search, against references and in what they do."""

import pytest
import torch

from tinylm import generate, load_pretrained


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch10/decoding_strategies.py")


def test_top_k_keeps_k(snippet):
    top_k = snippet("ch10/decoding_strategies.py").top_k
    logits = torch.randn(5, 50, generator=torch.Generator().manual_seed(0))
    kept = top_k(logits, 7).isfinite()
    assert torch.all(kept.sum(-1) == 7)
    assert torch.equal(kept, torch.zeros_like(kept).scatter(1, logits.topk(7).indices, True))


def test_top_p_keeps_the_smallest_nucleus(snippet):
    top_p = snippet("ch10/decoding_strategies.py").top_p
    logits = torch.randn(20, 30, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    for p in (0.3, 0.8, 0.95):
        kept = top_p(logits, p).isfinite()
        for row, mask in zip(logits.softmax(-1), kept):
            ranked = row.sort(descending=True).values
            size = int((ranked.cumsum(0) < p).sum()) + 1  # brute force: the smallest set
            assert int(mask.sum()) == size
            assert row[mask].min() >= row[~mask].max() if (~mask).any() else True


def test_beam_of_one_is_greedy_and_wider_beams_score_higher(run):
    model, tokenizer = load_pretrained()
    model.double()
    beam_search = run.namespace["beam_search"]
    for person in run.namespace["PEOPLE"][:3]:
        greedy = tokenizer.decode(beam_search(model, tokenizer, person.name, 1))
        assert greedy == generate(model, tokenizer, person.name, 24, stop=None)[: len(greedy)]
    results = run.namespace["results"]
    beam, greedy = results["beam search, 4"]["total_log_p"], results["greedy"]["total_log_p"]
    assert all(b >= g - 1e-9 for b, g in zip(beam, greedy))
    assert sum(b > g + 1e-9 for b, g in zip(beam, greedy)) >= 1


def test_truncation_trades_diversity_for_likelihood_and_truth(run):
    results = run.namespace["results"]
    order = ["sampling, T = 1", "top-k, k = 3", "top-p, p = 0.8"]
    distinct = [results[name]["distinct"] for name in order]
    log_p = [results[name]["log_p"] for name in order]
    assert distinct == sorted(distinct, reverse=True) and distinct[-1] > 10
    assert log_p == sorted(log_p)
    interval = run.namespace["interval"]
    full, nucleus = results["sampling, T = 1"], results["top-p, p = 0.8"]
    # fewer false facts with top-p, beyond the noise: the intervals do not overlap
    assert interval(nucleus["wrong"], nucleus["n"])[1] < interval(full["wrong"], full["n"])[0]
    assert "decoding_strategies.svg" in run.figures


def test_false_fact_checker(run):
    false_fact = run.namespace["false_fact"]
    ana = run.namespace["PEOPLE"][0]
    assert not false_fact(ana, f"{ana.name} lives in {ana.city}. Her pet is a {ana.pet}.")
    other_city = next(c for c, _ in run.namespace["corpus"].VALUES["city"] if c != ana.city)
    assert false_fact(ana, f"{ana.name} lives in {other_city}.")


def test_repeats_counts_a_sentence_said_twice(run):
    repeats = run.namespace["repeats"]
    assert repeats("lives in Lisbon. Her pet is a cat. Her pet is a cat.")
    assert not repeats("lives in Lisbon. Her pet is a cat.")
    results, tokenizer = run.namespace["results"], run.namespace["tokenizer"]
    assert repeats(tokenizer.decode(results["top-p, p = 0.8"]["first"]))  # Ana's line, shown
    for name in ("sampling, T = 1", "top-k, k = 3", "top-p, p = 0.8"):
        assert 0 < results[name]["repeated"] < 0.05 * results[name]["n"], name  # some, few
    assert results["greedy"]["repeated"] == results["beam search, 4"]["repeated"] == 0
