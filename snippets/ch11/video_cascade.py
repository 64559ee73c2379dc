"""Video, cascaded: first generate a clip at a low frame rate (3 key frames, with a
diffusion model), then fill in the frames between them (with an interpolation network).
The clips are 9 frames of a 1-D "screen" 16 pixels wide, on which a bright spot moves
at a steady speed. The control: the same models, but every frame taken from a clip of
its own, as if each frame were generated independently. Temporal consistency is
measured: how far the spot strays from a steady motion.

Needs tiny_diffusion.py beside it.
"""

import matplotlib.pyplot as plt
import torch
from torch import nn

from tiny_diffusion import Adam, sample, train

torch.set_default_dtype(torch.float64)

# --8<-- [start:data]
WIDTH, FRAMES, KEYS = 16, 9, [0, 4, 8]  # key frames: every 4th frame


def clips(n: int, seed: int = 0):
    """n clips [n, 9 frames, 16 pixels]: a spot starts at a random place and moves at
    a steady, random speed to another random place."""
    g = torch.Generator().manual_seed(seed)
    start, end = 2 + 11 * torch.rand(2, n, 1, generator=g)  # pixels 2 ... 13
    where = start + (end - start) * torch.arange(FRAMES) / (FRAMES - 1)  # [n, 9]
    pixels = torch.arange(WIDTH)
    return (-(pixels - where[..., None]).pow(2) / 8).exp() * 2 - 1  # spots 2 pixels wide


def spot(frames):
    """Where the spot is in each frame: the brightness-weighted mean pixel."""
    weight = frames.clamp(-1, 1) + 1  # brightness from 0 (dark) to 2 (fully lit)
    return (weight * torch.arange(WIDTH)).sum(-1) / weight.sum(-1)


def one_spot(frames):
    """Whether each frame shows one clear spot: a single run of pixels at least a
    quarter lit (above -0.5), and its brightest pixel more than half lit (above 0.5)."""
    lit = (frames > -0.5).int()
    runs = lit[..., 0] + (lit[..., 1:] > lit[..., :-1]).sum(-1)
    return (runs == 1) & (frames.max(-1).values > 0.5)


def wobble(frames):
    """Per clip: how far the spot strays from the straight line (steady motion) that
    fits its path best, in pixels (root mean square)."""
    path = spot(frames)  # [n, 9]
    t = torch.arange(FRAMES, dtype=path.dtype)
    design = torch.stack([torch.ones_like(t), t], dim=1)  # [9, 2]
    fit = design @ torch.linalg.lstsq(design, path.T).solution  # [9, n]
    return (path - fit.T).pow(2).mean(-1).sqrt()
# --8<-- [end:data]


# --8<-- [start:interpolate]
def train_interpolator(video, steps: int = 200, seed: int = 0):
    """A network that sees two key frames 4 apart and draws the 3 frames between."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2 * WIDTH, 128), nn.SiLU(), nn.Linear(128, 3 * WIDTH))
    optimiser = Adam(model.parameters(), lr=1e-2)
    ends = torch.cat([video[:, [0, 4]], video[:, [4, 8]]])  # [2n, 2, 16]
    between = torch.cat([video[:, 1:4], video[:, 5:8]])  # [2n, 3, 16]
    for _ in range(steps):
        pick = torch.randint(len(ends), (256,))
        loss = (model(ends[pick].flatten(1)) - between[pick].flatten(1)).pow(2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return model


@torch.no_grad()
def fill_in(interpolator, keys):
    """[n, 3 key frames, 16] -> [n, 9 frames, 16]."""
    first = interpolator(keys[:, :2].flatten(1)).reshape(-1, 3, WIDTH)
    second = interpolator(keys[:, 1:].flatten(1)).reshape(-1, 3, WIDTH)
    return torch.cat([keys[:, :1], first, keys[:, 1:2], second, keys[:, 2:]], dim=1)
# --8<-- [end:interpolate]


def draw(real, cascaded, independent, path="video_cascade.svg"):
    """Each clip as an image: time runs down, the 16 pixels across."""
    fig, axes = plt.subplots(1, 9, figsize=(9, 1.5))
    groups = [("real", real), ("cascaded", cascaded), ("independent", independent)]
    for g, (name, video) in enumerate(groups):
        for k in range(3):
            axis = axes[3 * g + k]
            axis.imshow(video[k].clamp(-1, 1).numpy(), cmap="magma", vmin=-1, vmax=1)
            axis.set_xticks([])
            axis.set_yticks([0, 4, 8] if g == k == 0 else [])
            if k == 1:
                axis.set_title(name, fontsize=10)
    axes[0].set_ylabel("frame")
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    video = clips(3000)
    keys = video[:, KEYS].flatten(1)  # the low-frame-rate clips: [3000, 3 * 16]
    model = train(keys, hidden=128, batch=128, lr=5e-3)  # stage 1: key frames, jointly
    interpolator = train_interpolator(video)  # stage 2: the frames between
    n = 400
    drawn, _ = sample(model, n, dim=len(KEYS) * WIDTH, seed=1)
    cascaded = fill_in(interpolator, drawn.reshape(n, len(KEYS), WIDTH))  # [n, 9, 16]
    # the control: frame t of clip i taken from clip (i + 37 t) mod n, a clip of its own
    shuffle = (torch.arange(n)[:, None] + 37 * torch.arange(FRAMES)) % n  # [n, 9]
    independent = cascaded[shuffle, torch.arange(FRAMES)]
    real = clips(n, seed=1)
    print(f"stray from a steady motion, pixels (mean over {n} clips, 95% interval):")
    measured = {}
    for name, frames in [("real clips", real), ("cascaded", cascaded),
                         ("each frame independent", independent)]:
        stray = wobble(frames)
        half = 1.96 * stray.std() / n ** 0.5
        measured[name] = (stray.mean().item(), half.item())
        jump = (spot(frames)[:, 1:] - spot(frames)[:, :-1]).abs().mean()
        clear = one_spot(frames).double().mean()
        print(f"  {name:>22}: {stray.mean():.2f} +/- {half:.2f}; "
              f"mean jump between frames {jump:.2f}; frames with one clear spot {clear:.0%}")
    draw(real, cascaded, independent)
    # --8<-- [end:main]
