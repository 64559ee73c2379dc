"""How today's models see images and video: cut into patches, each patch one token.
An image becomes a sequence of patch tokens and a video a sequence of spacetime
patches, and both come back exactly. Then: how many tokens is a video, and what does
attention over all of them cost, against attention factorised into space and time?
Nothing is timed: operations are counted on "meta" tensors, which have shapes but no
data."""

import torch
from torch.utils.flop_counter import FlopCounterMode


# --8<-- [start:image]
def patchify(image, p: int):
    """[C, H, W] -> [H/p * W/p, C*p*p]: one row (token) per p x p patch, row by row."""
    c, h, w = image.shape
    x = image.reshape(c, h // p, p, w // p, p)  # [C, rows, p, columns, p]
    x = x.permute(1, 3, 0, 2, 4)  # [rows, columns, C, p, p]
    return x.reshape((h // p) * (w // p), c * p * p)


def unpatchify(tokens, c: int, h: int, w: int, p: int):
    """The inverse: put every patch back in its place."""
    x = tokens.reshape(h // p, w // p, c, p, p).permute(2, 0, 3, 1, 4)  # [C, rows, p, cols, p]
    return x.reshape(c, h, w)
# --8<-- [end:image]


# --8<-- [start:video]
def patchify_video(video, pt: int, p: int):
    """[T, C, H, W] -> [T/pt * H/p * W/p, C*pt*p*p]: spacetime patches, pt frames
    deep and p x p pixels wide."""
    t, c, h, w = video.shape
    x = video.reshape(t // pt, pt, c, h // p, p, w // p, p)
    x = x.permute(0, 3, 5, 2, 1, 4, 6)  # [times, rows, columns, C, pt, p, p]
    return x.reshape(-1, c * pt * p * p)


def unpatchify_video(tokens, t: int, c: int, h: int, w: int, pt: int, p: int):
    x = tokens.reshape(t // pt, h // p, w // p, c, pt, p, p).permute(0, 4, 3, 1, 5, 2, 6)
    return x.reshape(t, c, h, w)
# --8<-- [end:video]


# --8<-- [start:cost]
def attention_flops(times: int, places: int, d: int = 64) -> dict[str, int]:
    """The multiply-adds (FLOPs) of the attention scores q k^T, and of weights @ v, over
    `times` x `places` spacetime tokens of width d: every token with every token, or
    factorised: within each time step over the places, then at each place over time."""
    n = times * places
    flops = {}
    with torch.device("meta"):  # shapes only: nothing is computed or stored
        shapes = {
            "full": [(1, n, d)],  # one sequence of all n tokens
            "factorised": [(times, places, d), (places, times, d)],  # space, then time
        }
        for kind, batches in shapes.items():
            with FlopCounterMode(display=False) as counter:
                for batch in batches:
                    q = k = v = torch.empty(batch)
                    weights = (q @ k.transpose(1, 2)).softmax(-1)  # [batch, L, L]
                    weights @ v
            flops[kind] = counter.get_total_flops()
    return flops
# --8<-- [end:cost]


if __name__ == "__main__":
    # --8<-- [start:main]
    g = torch.Generator().manual_seed(0)
    image = torch.rand(3, 256, 256, generator=g)  # [channels, height, width]
    tokens = patchify(image, 16)
    back = unpatchify(tokens, 3, 256, 256, 16)
    print(f"image {tuple(image.shape)} -> tokens {tuple(tokens.shape)}; "
          f"back exactly: {torch.equal(back, image)}")

    video = torch.rand(16, 3, 256, 256, generator=g)  # [frames, channels, height, width]
    tokens = patchify_video(video, 2, 16)
    back = unpatchify_video(tokens, 16, 3, 256, 256, 2, 16)
    print(f"video {tuple(video.shape)} -> tokens {tuple(tokens.shape)}; "
          f"back exactly: {torch.equal(back, video)}")

    print("\nattention over spacetime patches (2 frames x 16 x 16 pixels), width 64:")
    print(f"{'clip':>24} {'tokens':>8} {'full FLOPs':>11} {'factorised':>11} {'ratio':>6}")
    clips = [(16, 256, 256), (64, 256, 256), (240, 512, 512), (1440, 512, 512)]
    costs = {}
    for frames, h, w in clips:
        times, places = frames // 2, (h // 16) * (w // 16)
        costs[frames, h, w] = cost = attention_flops(times, places)
        name = f"{frames} frames of {h}x{w}"
        print(f"{name:>24} {times * places:>8} {cost['full']:>11.3g} "
              f"{cost['factorised']:>11.3g} {cost['full'] / cost['factorised']:>6.0f}")
    # --8<-- [end:main]
