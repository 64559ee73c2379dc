"""One caption, many pictures. Each caption fits two different "pictures" (here points
in the plane, so that we can see them: a picture of 64 pixels is a point in 64
dimensions). A regression model, trained to minimise the squared error, answers with
their mean, which looks like neither; a generative model (the diffusion model of
tiny_diffusion.py) draws both.

Needs tiny_diffusion.py beside it.
"""

import torch
from torch import nn

from tiny_diffusion import Adam, sample, train

torch.set_default_dtype(torch.float64)

# --8<-- [start:data]
CAPTIONS = ["a dog running", "a cat sleeping"]
# each caption fits two pictures: say, facing left or facing right
MODES = torch.tensor([[[-1.5, 1.0], [1.5, 1.0]],  # a dog running
                      [[-1.5, -1.0], [1.5, -1.0]]])  # a cat sleeping
SPREAD = 0.2


def pictures(n: int, seed: int = 0):
    """n (caption, picture) pairs: a caption, then one of its two modes at random."""
    g = torch.Generator().manual_seed(seed)
    caption = torch.randint(2, (n,), generator=g)
    side = torch.randint(2, (n,), generator=g)
    return caption, MODES[caption, side] + SPREAD * torch.randn(n, 2, generator=g)
# --8<-- [end:data]


# --8<-- [start:regression]
def regression(caption, picture, steps: int = 300, seed: int = 0):
    """caption -> picture, trained to minimise the mean squared error."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Embedding(2, 32), nn.SiLU(), nn.Linear(32, 2))
    optimiser = Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        loss = (model(caption) - picture).pow(2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return model
# --8<-- [end:regression]


def describe(points, caption: int):
    """How many points lie near the left mode, near the right one, and near neither
    (within 3 standard deviations of a mode's centre)."""
    distance = torch.cdist(points, MODES[caption])  # [n, 2]
    near = distance < 3 * SPREAD
    return int(near[:, 0].sum()), int(near[:, 1].sum()), int((~near.any(1)).sum())


if __name__ == "__main__":
    # --8<-- [start:main]
    caption, picture = pictures(4000)
    regressor = regression(caption, picture)
    diffusion = train(picture, labels=caption, n_labels=2, drop_label=0.0, steps=300)
    n, results = 1000, {}
    for c, text in enumerate(CAPTIONS):
        print(f"caption {c}, {text!r}: its pictures lie around "
              f"{MODES[c, 0].tolist()} and {MODES[c, 1].tolist()}")
        with torch.no_grad():
            answer = regressor(torch.tensor([c]))[0]  # the mean of both modes?
        distance = torch.cdist(answer[None], MODES[c]).min()
        print(f"    regression answers ({answer[0]:.2f}, {answer[1]:.2f}): "
              f"{distance:.2f} from the nearest mode, the same answer every time")
        drawn, _ = sample(diffusion, n, labels=torch.full((n,), c), n_labels=2, seed=c)
        left, right, neither = results[c] = describe(drawn, c)
        half = 1.96 * (0.25 / n) ** 0.5  # a 95% interval for a share near 1/2
        print(f"    diffusion, {n} samples: left {left}, right {right}, neither {neither}; "
              f"share left {left / (left + right):.2f} (a fair coin: 0.50 +/- {half:.2f})")
    # --8<-- [end:main]
