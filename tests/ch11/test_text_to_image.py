"""Chapter 11: a word-conditioned diffusion model, judged by a separate classifier;
moderate classifier-free guidance makes its pictures recognisable more often."""

import torch


def test_the_pictures_and_the_judge(ran):
    ns = ran("ch11/text_to_image.py").namespace
    every = ns["every_picture"]()
    flat = every.reshape(-1, 64)
    assert len(torch.unique(flat, dim=0)) == 4 * 16  # every picture differs
    word, place, wrong = ns["nearest_real"](flat)
    assert (wrong == 0).all()
    assert torch.equal(word, torch.arange(4).repeat_interleave(16))
    assert torch.equal(place, torch.arange(16).repeat(4))
    assert ns["right"] > 0.99  # the classifier knows real pictures


def test_guidance_helps_recognition_then_costs_variety(ran):
    run = ran("ch11/text_to_image.py")
    accuracy, places = run.namespace["accuracy"], run.namespace["places"]
    (low, low_half), (best, best_half) = accuracy[0.0], accuracy[1.0]
    assert best - best_half > low + low_half  # beyond both 95% intervals
    assert low > 0.4  # unguided, most pictures are already recognisable
    assert places[4.0] < places[0.0] / 2  # strong guidance: far fewer places drawn
    assert accuracy[4.0][0] < best
    assert {"text_to_image_samples.svg", "text_to_image_guidance.svg"} <= set(run.figures)


def test_guidance_zero_is_the_plain_conditional_model(snippet):
    """Classifier-free guidance with w = 0 is the conditional model alone: its samples
    do not depend on the unconditional guess."""
    module = snippet("ch11/tiny_diffusion.py")
    torch.manual_seed(0)
    model = module.Denoiser(4, hidden=8, n_labels=2).double()
    labels = torch.tensor([0, 1, 1])
    plain, _ = module.sample(model, 3, dim=4, labels=labels, n_labels=2, guidance=0.0)
    with torch.no_grad():
        model.label.weight[2] += 1.0  # change only the "no label" embedding
    again, _ = module.sample(model, 3, dim=4, labels=labels, n_labels=2, guidance=0.0)
    guided, _ = module.sample(model, 3, dim=4, labels=labels, n_labels=2, guidance=1.0)
    assert torch.equal(plain, again)
    assert not torch.allclose(plain, guided)


def test_pixels_apart_and_the_real_reference(ran):
    ns = ran("ch11/text_to_image.py").namespace
    every = ns["every_picture"]()
    same = every[0, :1].repeat(5, 1)
    assert ns["pixels_apart"](same) == 0  # copies of one picture are 0 pixels apart
    two = every[0, :2]
    assert ns["pixels_apart"](two) == (two[0] != two[1]).sum().item()
    # 40 random places of 16: most places appear, as the expected 16 (1 - (15/16)^40) = 14.6
    assert 13 <= ns["real_places"] <= 16
    # the counted variety of close pictures falls, though all pictures differ more
    assert ns["places"][4.0] < ns["places"][0.0] / 2 and ns["apart"][4.0] > ns["apart"][0.0]
