"""Chapter 11: patches as tokens, and what attention over them costs."""

import torch


def test_image_and_video_come_back_exactly(ran):
    ns = ran("ch11/patches.py").namespace
    g = torch.Generator().manual_seed(1)
    image = torch.rand(3, 48, 32, generator=g)
    tokens = ns["patchify"](image, 8)
    assert tokens.shape == (6 * 4, 3 * 8 * 8)
    assert torch.equal(ns["unpatchify"](tokens, 3, 48, 32, 8), image)
    video = torch.rand(6, 2, 16, 24, generator=g)
    tokens = ns["patchify_video"](video, 3, 8)
    assert tokens.shape == (2 * 2 * 3, 2 * 3 * 8 * 8)
    assert torch.equal(ns["unpatchify_video"](tokens, 6, 2, 16, 24, 3, 8), video)


def test_patches_are_what_pytorch_unfold_cuts(ran):
    """The reference: torch.nn.functional.unfold with the patch as kernel and stride."""
    patchify = ran("ch11/patches.py").namespace["patchify"]
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(2))
    reference = torch.nn.functional.unfold(image[None], kernel_size=8, stride=8)[0].T
    assert torch.equal(patchify(image, 8), reference)


def test_a_linear_layer_on_spacetime_patches_is_a_strided_conv3d(ran):
    """Embedding each spacetime patch with one linear layer is what a Conv3d with the
    patch as kernel and stride computes (as video Transformers implement it)."""
    patchify_video = ran("ch11/patches.py").namespace["patchify_video"]
    torch.manual_seed(0)
    video = torch.rand(4, 3, 16, 16, dtype=torch.float64)  # [T, C, H, W]
    conv = torch.nn.Conv3d(3, 5, kernel_size=(2, 8, 8), stride=(2, 8, 8)).double()
    expected = conv(video.permute(1, 0, 2, 3)[None])[0]  # [5, T/2, H/8, W/8]
    tokens = patchify_video(video, 2, 8)  # [8, 3*2*8*8]
    embedded = tokens @ conv.weight.reshape(5, -1).T + conv.bias  # [8, 5]
    assert torch.allclose(embedded.T.reshape(expected.shape), expected, atol=1e-12)


def test_attention_costs_match_the_closed_form(ran):
    """q k^T and weights @ v cost 2 L^2 d each for L tokens: full attention over n = T S
    tokens 4 n^2 d; factorised, 4 (T S^2 + S T^2) d. Their ratio is T S / (T + S)."""
    ns = ran("ch11/patches.py").namespace
    for (frames, h, w), cost in ns["costs"].items():
        times, places = frames // 2, (h // 16) * (w // 16)
        n, d = times * places, 64
        assert cost["full"] == 4 * n * n * d
        assert cost["factorised"] == 4 * (times * places**2 + places * times**2) * d
        ratio = cost["full"] / cost["factorised"]
        assert abs(ratio - times * places / (times + places)) < 1e-9
