"""The idea VAE, flow, diffusion and GAN share: a random input stands for everything the
condition leaves unsaid. A variational autoencoder (VAE) learns the same 2-D data as
tiny_diffusion.py: an encoder squeezes each point into a random code, a decoder turns a
code back into a point, and to generate, the decoder is fed fresh random codes. The
control: feed it one fixed code instead, and all variety is gone.

Needs tiny_diffusion.py beside it (for the data and the measure of its samples).
"""

import math

import matplotlib.pyplot as plt
import torch
from torch import nn

from tiny_diffusion import MODES, SPREAD, Adam, nearest_mode, ring

torch.set_default_dtype(torch.float64)


# --8<-- [start:vae]
def mlp(inputs: int, outputs: int, hidden: int = 64):
    return nn.Sequential(nn.Linear(inputs, hidden), nn.SiLU(), nn.Linear(hidden, hidden),
                         nn.SiLU(), nn.Linear(hidden, outputs))


def kl_to_standard_normal(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)), summed over the code's dimensions."""
    return (mean.pow(2) + log_var.exp() - 1 - log_var).sum(-1) / 2


def train_vae(data, steps: int = 600, batch: int = 256, seed: int = 0):
    """Encoder: x -> the mean and log-variance of a 2-D code z. Decoder: z -> x.
    The loss: reconstruct x from a random z drawn from the encoder's distribution
    (the squared error, in units of the data's own noise), plus the KL divergence that
    keeps the codes close to a standard normal, so that random codes decode to data."""
    torch.manual_seed(seed)
    encoder, decoder = mlp(2, 4), mlp(2, 2)
    parameters = [*encoder.parameters(), *decoder.parameters()]
    optimiser = Adam(parameters, lr=1e-2)
    for step in range(steps):
        optimiser.lr = 1e-2 * (1 + math.cos(math.pi * step / steps)) / 2  # a cosine decay
        x = data[torch.randint(len(data), (batch,))]
        mean, log_var = encoder(x).chunk(2, dim=-1)  # [batch, 2] each
        z = mean + (log_var / 2).exp() * torch.randn_like(mean)  # the random code
        error = (decoder(z) - x).pow(2) / SPREAD**2
        loss = (error.sum(-1) / 2 + kl_to_standard_normal(mean, log_var)).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return encoder, decoder
# --8<-- [end:vae]


def measure(points, name: str):
    """The share of points within 3 standard deviations of a cluster, and the clusters
    covered."""
    mode, distance = nearest_mode(points)
    close = distance < 3 * SPREAD
    n = len(points)
    share = close.double().mean()
    half = 1.96 * (share * (1 - share) / n).sqrt()
    counts = torch.bincount(mode[close], minlength=MODES)
    print(f"{name}: within {3 * SPREAD:.1f} of a cluster centre {share:.1%} "
          f"(+/- {half:.1%}); clusters covered {int((counts > 0).sum())} of {MODES}")
    return share.item()


def draw(data, samples, path="vae_samples.svg"):
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), sharex=True, sharey=True)
    titles = ["the data", "VAE: random codes", "VAE: one fixed code"]
    for axis, points, title, colour in zip(axes, [data, *samples], titles, ["C0", "C2", "C3"]):
        axis.scatter(*points[:600].T, s=2, alpha=0.5, color=colour, rasterized=True)
        axis.set(xlim=(-3.5, 3.5), ylim=(-3.5, 3.5), aspect="equal", title=title)
        axis.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    data, _ = ring(4000)  # the data of tiny_diffusion.py
    encoder, decoder = train_vae(data)
    n = 2000
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        codes = torch.randn(n, 2, generator=g)  # the random input
        generated = decoder(codes)
        fixed = decoder(torch.zeros(n, 2))  # the control: the same code every time
    vae_share = measure(generated, f"VAE, {n} samples from random codes")
    spread = (generated.std(0).mean().item(), fixed.std(0).mean().item())
    print(f"spread of the samples (standard deviation): random codes {spread[0]:.2f}, "
          f"one fixed code {spread[1]:.2f}")
    print(f"distinct samples from one fixed code: {len(torch.unique(fixed, dim=0))}")
    draw(data, [generated, fixed])
    # --8<-- [end:main]
