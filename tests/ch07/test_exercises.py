"""Chapter 7: the exercises' solutions say what the page says they say."""


def test_an_untrained_model_gives_the_probe_nothing_to_find(ran):
    results = ran("ch07/exercise_untrained_probe.py").namespace["results"]
    trained = ran("ch07/probing.py").namespace["summary"]
    for (layer, task, split), (right, _) in results.items():
        assert right.double().mean() < 0.3, (layer, task, split)
    assert trained["block 2", "task", "new contexts"][0] > 0.9


def test_the_job_travels_like_the_city(ran):
    ns = ran("ch07/exercise_patch_job.py").namespace
    moved, n = ns["moved"], ns["n"]
    assert n >= 90
    assert moved[0, 0] == 1.0
    assert moved[1:, 1].sum() == 0  # control: "is" has seen the name after blocks 1-2
    assert moved[2, -1] == 1.0 and moved[2, :-1].sum() == 0
    assert 0.2 < moved[1, 0] < 0.8 and 0.2 < moved[1, -1] < 0.8


def test_integrated_gradients_add_up_and_beat_gradient_x_input(ran, snippet):
    ns = ran("ch07/exercise_integrated_gradients.py").namespace
    assert ns["gap"] < 0.2  # completeness, up to the error of 16 points
    assert ns["n"] >= 90
    hits = ns["hits"]
    assert hits["gradient x input"] < hits["integrated gradients"] < hits["occlusion"]
    # paired: the prompts only one method gets right split unevenly (sign test, p < 0.01)
    only = ns["only"]
    wins, losses = only["integrated gradients"], only["gradient x input"]
    from math import comb
    p = 2 * sum(comb(wins + losses, k) for k in range(losses + 1)) / 2 ** (wins + losses)
    assert p < 0.01
    # reference: for a linear score, integrated gradients is exactly gradient x input
    torch = __import__("torch")
    ig = snippet("ch07/exercise_integrated_gradients.py").integrated_gradients
    g = torch.Generator().manual_seed(0)
    w = torch.randn(3, generator=g, dtype=torch.float64)
    x = torch.randn(2, 4, 3, generator=g, dtype=torch.float64)
    baseline = torch.zeros(3, dtype=torch.float64)
    assert torch.allclose(ig(lambda z: (z @ w).sum(1), x, baseline), x @ w)
