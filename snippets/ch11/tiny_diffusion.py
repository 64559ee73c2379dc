"""A tiny diffusion model (DDPM, Ho et al., 2020) on 2-D data: noise is added to the
data step by step until nothing of it is left, and a small network learns to take the
noise away again, one step at a time. Its samples are measured: do they cover every
mode of the data?

The other examples of this chapter import Denoiser, train and sample from this file.
"""

import math

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.set_default_dtype(torch.float64)  # train, then sample: the same on every CPU
torch.set_num_threads(1)  # the models are tiny: more threads would only wait on each other

# --8<-- [start:schedule]
STEPS = 50  # T: how many small noising steps take the data to pure noise
BETAS = torch.linspace(1e-3, 0.25, STEPS)  # the variance of the noise each step adds
ALPHA_BARS = torch.cumprod(1 - BETAS, dim=0)  # how much of x_0 survives after t steps


def add_noise(x0, t, noise):
    """Jump straight to step t: x_t = sqrt(a_t) x_0 + sqrt(1 - a_t) noise, a_t = ALPHA_BARS[t]."""
    a = ALPHA_BARS[t].unsqueeze(-1)  # [n, 1]
    return a.sqrt() * x0 + (1 - a).sqrt() * noise
# --8<-- [end:schedule]


# --8<-- [start:data]
MODES = 4  # the data: 4 small clusters on a circle of radius 2
SPREAD = 0.2  # the standard deviation of each cluster


def centres():
    """The clusters' centres, evenly spaced on the circle: [MODES, 2]."""
    angle = 2 * math.pi * torch.arange(MODES) / MODES
    return 2 * torch.stack([angle.cos(), angle.sin()], dim=1)


def ring(n: int, seed: int = 0):
    """n points, each from one of the clusters (chosen at random), and the cluster."""
    g = torch.Generator().manual_seed(seed)
    mode = torch.randint(MODES, (n,), generator=g)
    return centres()[mode] + SPREAD * torch.randn(n, 2, generator=g), mode


def on_the_ring(n: int, seed: int = 0):
    """The baseline: n points spread evenly around the same circle, with no clusters."""
    g = torch.Generator().manual_seed(seed)
    angle = 2 * math.pi * torch.rand(n, generator=g)
    radius = 2 + SPREAD * torch.randn(n, generator=g)
    return radius[:, None] * torch.stack([angle.cos(), angle.sin()], dim=1)


def nearest_mode(x):
    """Each point's nearest cluster centre, and its distance from it."""
    distance, mode = torch.cdist(x, centres()).min(dim=1)
    return mode, distance
# --8<-- [end:data]


# --8<-- [start:model]
PHASE = torch.arange(STEPS)[:, None] / STEPS * torch.arange(1, 9) * math.pi / 2
TIME = torch.cat([PHASE.sin(), PHASE.cos()], dim=1)  # each step as 16 numbers: [T, 16]


class Denoiser(nn.Module):
    """Given a noisy x_t, the step t and (optionally) a label, guess the noise in x_t.
    Label `n_labels` means "no label": the model learns both, for guidance."""

    def __init__(self, dim: int, hidden: int = 64, n_labels: int = 0):
        super().__init__()
        self.label = nn.Embedding(n_labels + 1, hidden) if n_labels else None
        self.inp = nn.Linear(dim + 16, hidden)
        self.net = nn.Sequential(
            nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, hidden),
            nn.SiLU(), nn.Linear(hidden, dim),
        )

    def forward(self, x, t, label=None):  # x: [n, dim], t: [n]
        h = self.inp(torch.cat([x, TIME[t]], dim=-1))
        if self.label is not None:
            h = h + self.label(label)
        return self.net(h)
# --8<-- [end:model]


# --8<-- [start:adam]
class Adam:
    """The Adam optimiser, computed as torch.optim.Adam computes it (a test checks).
    PyTorch's own optimisers load its compiler the first time one is made, a second or
    two of start-up that would cost this chapter's short trainings more than they do."""

    def __init__(self, parameters, lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        self.parameters, self.lr, self.betas, self.eps = list(parameters), lr, betas, eps
        self.m = [torch.zeros_like(p) for p in self.parameters]  # mean of the gradients
        self.v = [torch.zeros_like(p) for p in self.parameters]  # mean of their squares
        self.t = 0

    def zero_grad(self):
        for p in self.parameters:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        b1, b2 = self.betas
        for p, m, v in zip(self.parameters, self.m, self.v):
            m.mul_(b1).add_(p.grad, alpha=1 - b1)
            v.mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
            step = self.lr / (1 - b1**self.t)
            p.addcdiv_(m, (v / (1 - b2**self.t)).sqrt().add_(self.eps), value=-step)
# --8<-- [end:adam]


# --8<-- [start:train]
def train(data, labels=None, n_labels=0, hidden=64, steps=600, batch=256, lr=1e-2,
          drop_label=0.2, seed=0):
    """The DDPM objective: noise a real x_0 to a random step t, and teach the model to
    name the noise (mean squared error). With labels, each is hidden (set to "no
    label") with probability drop_label, so one model learns p(x | label) and p(x)."""
    torch.manual_seed(seed)
    model = Denoiser(data.shape[1], hidden, n_labels)
    optimiser = Adam(model.parameters(), lr=lr)
    for step in range(steps):
        optimiser.lr = lr * (1 + math.cos(math.pi * step / steps)) / 2  # a cosine decay
        pick = torch.randint(len(data), (batch,))
        x0, t = data[pick], torch.randint(STEPS, (batch,))
        noise = torch.randn_like(x0)
        label = None
        if labels is not None:
            hide = torch.rand(batch) < drop_label
            label = torch.where(hide, n_labels, labels[pick])
        loss = (model(add_noise(x0, t, noise), t, label) - noise).pow(2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return model.eval()
# --8<-- [end:train]


# --8<-- [start:sample]
@torch.no_grad()
def sample(model, n, dim=2, labels=None, n_labels=0, guidance=0.0, seed=0, keep=()):
    """Start from pure noise x_T and take the noise away one step at a time
    (DDPM's ancestral sampler). With labels, classifier-free guidance mixes the
    labelled and unlabelled guesses: (1 + w) * eps(x, label) - w * eps(x).
    Returns x_0, and x_t at each step listed in `keep`."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, dim, generator=g)  # x_T: [n, dim]
    kept = {STEPS: x.clone()} if STEPS in keep else {}
    for t in reversed(range(STEPS)):
        steps = torch.full((n,), t)
        eps = model(x, steps, labels)
        if labels is not None and guidance:
            eps_free = model(x, steps, torch.full_like(labels, n_labels))
            eps = (1 + guidance) * eps - guidance * eps_free
        beta, a = BETAS[t], ALPHA_BARS[t]
        x = (x - beta / (1 - a).sqrt() * eps) / (1 - beta).sqrt()  # the mean of x_{t-1}
        if t > 0:
            spread = beta * (1 - ALPHA_BARS[t - 1]) / (1 - a)  # the variance of x_{t-1}
            x = x + spread.sqrt() * torch.randn(n, dim, generator=g)
        if t in keep:
            kept[t] = x.clone()  # this is x_t after t steps still to go
    return x, kept
# --8<-- [end:sample]


def draw(noised, kept, path="diffusion_2d.svg"):
    """Top: the data noised for 0, 12, 25 and 50 steps. Bottom: samples on their way
    back, from pure noise (x_50) to x_0."""
    fig, axes = plt.subplots(2, 4, figsize=(9, 4.8), sharex=True, sharey=True)
    for column, t in enumerate([0, 12, 25, STEPS]):
        top, bottom = axes[0, column], axes[1, column]
        points = noised[t - 1] if t else noised["data"]
        top.scatter(*points[:600].T, s=2, alpha=0.5, rasterized=True)
        top.set_title(f"forward: $x_{{{t}}}$" + (" (the data)" if t == 0 else ""), fontsize=9)
        back = [STEPS, 25, 12, 0][column]  # the bottom row runs the other way
        bottom.scatter(*kept[back][:600].T, s=2, alpha=0.5, color="C1", rasterized=True)
        bottom.set_title(f"reverse: $x_{{{back}}}$" + (" (samples)" if back == 0 else ""),
                         fontsize=9)
    for axis in axes.flat:
        axis.set(xlim=(-3.5, 3.5), ylim=(-3.5, 3.5), aspect="equal")
        axis.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    data, _ = ring(4000)
    g = torch.Generator().manual_seed(1)
    noise = torch.randn(data.shape, generator=g)
    noised = {t: add_noise(data, torch.full((len(data),), t), noise) for t in range(STEPS)}
    end = noised[STEPS - 1]
    print(f"forward: after {STEPS} steps, sqrt(alpha_bar) = {ALPHA_BARS[-1].sqrt():.3f}; "
          f"the noised data has mean {end.mean():.2f} and standard deviation {end.std():.2f}")

    model = train(data)  # 600 steps of 256 points
    n = 2000
    samples, kept = sample(model, n, keep=(STEPS, 25, 12))
    measured = {}
    baseline = on_the_ring(n)  # what a model that learnt only the circle would draw
    for name, points in (("the data", data[:n]), ("the circle, no clusters", baseline),
                         ("the samples", samples)):
        mode, distance = nearest_mode(points)
        close = distance < 3 * SPREAD  # within 3 standard deviations of a centre
        counts = torch.bincount(mode[close], minlength=MODES)
        share = close.double().mean()
        measured[name] = (share.item(), counts)
        half = 1.96 * (share * (1 - share) / n).sqrt()  # a 95% interval
        print(f"{name} (n = {n}): within {3 * SPREAD:.1f} of a cluster centre "
              f"{share:.1%} (+/- {half:.1%}); clusters covered {int((counts > 0).sum())} "
              f"of {MODES}")
        print("    points per cluster:", " ".join(f"{int(c):4d}" for c in counts))
    draw({"data": data, **noised}, {0: samples, **kept})
    # --8<-- [end:main]
