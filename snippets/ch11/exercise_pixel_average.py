"""Exercise: fill in the frames between two key frames by averaging their pixels,
instead of with the trained interpolation network. Predict what the spot looks like
halfway between two key frames, before running it.

Needs video_cascade.py and tiny_diffusion.py beside it.
"""

import torch

from video_cascade import WIDTH, clips, spot, train_interpolator

torch.set_default_dtype(torch.float64)


def average(first, last):
    """The 3 frames between two key frames, each a weighted mean of their pixels."""
    weights = torch.tensor([0.75, 0.5, 0.25])[None, :, None]  # [1, 3, 1]
    return weights * first[:, None] + (1 - weights) * last[:, None]  # [n, 3, 16]


def lit_width(frames):
    """How many pixels of each frame are at least a quarter lit (above -0.5, where -1
    is dark and 1 fully lit): the width of what the frame shows."""
    return (frames > -0.5).double().sum(-1)


if __name__ == "__main__":
    video = clips(3000)
    interpolator = train_interpolator(video)
    test = clips(400, seed=1)
    n = len(test)
    truth = test[:, 1:4]
    with torch.no_grad():
        learned = interpolator(test[:, [0, 4]].flatten(1)).reshape(n, 3, WIDTH)
    averaged = average(test[:, 0], test[:, 4])
    print(f"the 3 frames between frames 0 and 4, over {n} clips (95% intervals):")
    measured = {}
    for name, frames in [("true frames", truth), ("trained network", learned),
                         ("pixel average", averaged)]:
        error = (spot(frames) - spot(truth)).abs().mean()
        peaks, widths = frames[:, 1].max(-1).values, lit_width(frames[:, 1])
        peak, width = peaks.mean(), widths.mean()
        half = [1.96 * x.std() / n**0.5 for x in (peaks, widths)]
        measured[name] = (error.item(), peak.item(), width.item())
        print(f"  {name:>15}: spot misplaced by {error:.2f} pixels; middle frame: "
              f"brightest pixel {peak:.2f} +/- {half[0]:.2f}, lit over {width:.1f} "
              f"+/- {half[1]:.1f} pixels")
