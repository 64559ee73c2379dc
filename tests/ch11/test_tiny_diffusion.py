"""Chapter 11: the forward process destroys the data; the learned reverse process draws
samples in every cluster."""

import math

import torch


def test_jumping_to_step_t_is_the_same_as_t_small_steps(snippet):
    """The closed form q(x_t | x_0) = N(sqrt(a_t) x_0, (1 - a_t) I) against the
    recursion x_t = sqrt(1 - b_t) x_{t-1} + sqrt(b_t) noise: its mean's coefficient
    and its variance, step by step."""
    module = snippet("ch11/tiny_diffusion.py")
    coefficient, variance = 1.0, 0.0
    for t, beta in enumerate(module.BETAS.tolist()):
        coefficient *= math.sqrt(1 - beta)
        variance = (1 - beta) * variance + beta
        a = module.ALPHA_BARS[t].item()
        assert abs(math.sqrt(a) - coefficient) < 1e-12
        assert abs((1 - a) - variance) < 1e-12
    x0 = torch.ones(3, 2, dtype=torch.float64)
    noise = torch.zeros(3, 2, dtype=torch.float64)
    t = torch.tensor([0, 10, 49])
    assert torch.allclose(module.add_noise(x0, t, noise)[:, 0], module.ALPHA_BARS[t].sqrt())


def test_after_the_forward_process_nothing_of_the_data_is_left(ran):
    ns = ran("ch11/tiny_diffusion.py").namespace
    end = ns["end"]
    assert abs(end.mean().item()) < 0.05 and abs(end.std().item() - 1) < 0.05
    assert ns["ALPHA_BARS"][-1].sqrt() < 0.05


def test_samples_cover_every_cluster_in_fair_shares(ran):
    run = ran("ch11/tiny_diffusion.py")
    measured = run.namespace["measured"]
    data_share, _ = measured["the data"]
    baseline, _ = measured["the circle, no clusters"]
    share, counts = measured["the samples"]
    assert data_share > 0.98
    assert baseline < 0.5  # a model that learnt only the circle
    assert share > 0.9  # the samples land in the clusters, not between them
    assert (counts > 0).all()
    close, k = counts.sum().item(), len(counts)
    expected, sd = close / k, math.sqrt(close * (1 / k) * (1 - 1 / k))
    assert ((counts - expected).abs() < 3 * sd).all()  # no cluster starved or favoured
    assert "diffusion_2d.svg" in run.figures


def test_our_adam_is_pytorchs_adam(snippet):
    """The reference: torch.optim.Adam, on the same network, gradients and steps."""
    module = snippet("ch11/tiny_diffusion.py")
    torch.manual_seed(0)
    ours = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(),
                               torch.nn.Linear(8, 2)).double()
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(),
                                 torch.nn.Linear(8, 2)).double()
    theirs.load_state_dict(ours.state_dict())
    mine = module.Adam(ours.parameters(), lr=0.05, betas=(0.5, 0.9))
    reference = torch.optim.Adam(theirs.parameters(), lr=0.05, betas=(0.5, 0.9))
    g = torch.Generator().manual_seed(1)
    for _ in range(20):
        x = torch.randn(16, 3, generator=g, dtype=torch.float64)
        for model, optimiser in ((ours, mine), (theirs, reference)):
            optimiser.zero_grad()
            model(x).pow(2).mean().backward()
            optimiser.step()
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert torch.allclose(a, b, rtol=0, atol=1e-10)
