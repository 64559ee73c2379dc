"""Exercise: build the fourth family, a GAN, on the same 2-D data, and compare it with
the diffusion model and the VAE. A generator turns random codes into points; a
discriminator learns to tell its points from real ones, and the generator learns to
fool it.

Needs tiny_diffusion.py and vae.py beside it.
"""

import torch
from torch import nn

from tiny_diffusion import MODES, SPREAD, Adam, nearest_mode, ring
from vae import measure, mlp

torch.set_default_dtype(torch.float64)


def train_gan(data, steps: int = 400, batch: int = 256, seed: int = 0):
    torch.manual_seed(seed)
    generator, discriminator = mlp(2, 2), mlp(2, 1)
    g_opt = Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.9))
    d_opt = Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.9))
    bce = nn.functional.binary_cross_entropy_with_logits
    real_label, fake_label = torch.ones(batch, 1), torch.zeros(batch, 1)
    for _ in range(steps):
        real = data[torch.randint(len(data), (batch,))]
        fake = generator(torch.randn(batch, 2))
        # the discriminator: real points -> 1, generated points -> 0
        d_loss = bce(discriminator(real), real_label) + bce(discriminator(fake.detach()),
                                                             fake_label)
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        # the generator: make the discriminator say 1 for its points
        g_loss = bce(discriminator(fake), real_label)
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
    return generator


if __name__ == "__main__":
    data, _ = ring(4000)
    generator = train_gan(data)
    n = 2000
    with torch.no_grad():
        points = generator(torch.randn(n, 2, generator=torch.Generator().manual_seed(0)))
    share = measure(points, f"GAN, {n} samples from random codes")
    mode, distance = nearest_mode(points)
    counts = torch.bincount(mode[distance < 3 * SPREAD], minlength=MODES)
    print("    points per cluster:", " ".join(f"{int(c):4d}" for c in counts))
