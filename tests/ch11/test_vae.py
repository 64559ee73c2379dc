"""Chapter 11: the VAE's random code carries the variety; it and the diffusion model,
on the same data, both cover every cluster."""

import torch


def test_kl_matches_torch_distributions(snippet):
    module = snippet("ch11/vae.py")
    g = torch.Generator().manual_seed(0)
    mean = torch.randn(5, 2, generator=g, dtype=torch.float64)
    log_var = torch.randn(5, 2, generator=g, dtype=torch.float64)
    posterior = torch.distributions.Normal(mean, (log_var / 2).exp())
    prior = torch.distributions.Normal(torch.zeros_like(mean), torch.ones_like(mean))
    reference = torch.distributions.kl_divergence(posterior, prior).sum(-1)
    assert torch.allclose(module.kl_to_standard_normal(mean, log_var), reference)


def test_random_codes_give_variety_and_one_code_gives_none(ran):
    run = ran("ch11/vae.py")
    ns = run.namespace
    decoder, codes, generated = ns["decoder"], ns["codes"], ns["generated"]
    with torch.no_grad():
        # the decoder did not collapse to ignoring its code: distinct codes, distinct points,
        # and nearby codes decode nearby while far ones do not
        assert len(torch.unique(generated.round(decimals=6), dim=0)) == len(codes)
        near = (decoder(codes[:100] + 1e-3) - generated[:100]).norm(dim=-1)
        far = (decoder(-codes[:100]) - generated[:100]).norm(dim=-1)
        assert near.max() < 0.05 and far.mean() > 0.5
    assert ns["spread"][0] > 1.0 and ns["spread"][1] == 0.0
    # every cluster gets a fair part of the samples near a cluster, not just one stray
    mode, distance = ns["nearest_mode"](generated)
    counts = torch.bincount(mode[distance < 3 * ns["SPREAD"]], minlength=ns["MODES"])
    assert (counts > 0.1 * counts.sum()).all()
    assert "vae_samples.svg" in run.figures


def within_a_spread_of_the_diamond(data, points) -> float:
    """The share of points away from every cluster that lie within one cluster spread of a
    side of the diamond that joins neighbouring clusters."""
    _, distance = data.nearest_mode(points)
    between = points[distance >= 3 * data.SPREAD]  # [m, 2]
    a = data.centres()  # [MODES, 2]
    side = a.roll(-1, 0) - a  # [MODES, 2]: to the next centre
    t = (((between[:, None] - a) * side).sum(-1) / (side**2).sum(-1)).clamp(0, 1)  # [m, MODES]
    to_side = (between[:, None] - (a + t[..., None] * side)).norm(dim=-1).min(1).values  # [m]
    return (to_side < data.SPREAD).double().mean().item()


def test_between_the_clusters_the_samples_lie_on_bridges_joining_them(ran, snippet):
    """The figure: the VAE's samples between the clusters lie along straight bridges joining
    them into a diamond, a few inside. Control: points spread evenly over the same disc."""
    data = snippet("ch11/tiny_diffusion.py")
    generated = ran("ch11/vae.py").namespace["generated"].detach()
    on_bridges = within_a_spread_of_the_diamond(data, generated)
    even = torch.rand(20000, 2, generator=torch.Generator().manual_seed(0)) * 5 - 2.5
    even = even[even.norm(dim=1) < 2.5]
    assert on_bridges > 0.45 and on_bridges > 2 * within_a_spread_of_the_diamond(data, even)


def test_the_vae_smears_the_clusters_that_diffusion_separates(ran):
    vae = ran("ch11/vae.py").namespace["vae_share"]
    measured = ran("ch11/tiny_diffusion.py").namespace["measured"]
    diffusion, baseline = measured["the samples"][0], measured["the circle, no clusters"][0]
    n = 2000
    half = lambda p: 1.96 * (p * (1 - p) / n) ** 0.5  # noqa: E731 (a 95% interval)
    assert vae + half(vae) < diffusion - half(diffusion)  # beyond both intervals
    assert vae - half(vae) > baseline + half(baseline)  # but it did learn the clusters
