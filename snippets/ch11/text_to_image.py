"""Text to image in miniature: a diffusion model conditioned on a word ("circle",
"square", "plus", "cross") draws 8 x 8 pictures of it, with classifier-free guidance.
A classifier trained separately, on real pictures only, says what each picture shows;
how often it agrees with the word, and how varied the pictures are, are measured at
several guidance strengths.

Needs tiny_diffusion.py beside it.
"""

import matplotlib.pyplot as plt
import torch
from torch import nn

from tiny_diffusion import Adam, sample, train

torch.set_default_dtype(torch.float64)

# --8<-- [start:data]
WORDS = ["circle", "square", "plus", "cross"]
SHAPES = [  # each 5 x 5; the word does not say where in the 8 x 8 picture it stands
    [".###.", "#...#", "#...#", "#...#", ".###."],  # circle
    ["#####", "#...#", "#...#", "#...#", "#####"],  # square
    ["..#..", "..#..", "#####", "..#..", "..#.."],  # plus
    ["#...#", ".#.#.", "..#..", ".#.#.", "#...#"],  # cross
]
SIZE = 8


PLACES = (SIZE - 4) ** 2  # 16 places where a 5 x 5 shape fits


def every_picture():
    """All 4 x 16 pictures there are: [word, place, 64 pixels] in [-1, 1]."""
    shapes = torch.tensor([[[c == "#" for c in line] for line in s] for s in SHAPES])
    images = -torch.ones(len(WORDS), PLACES, SIZE, SIZE)
    for place in range(PLACES):
        row, column = divmod(place, SIZE - 4)
        images[:, place, row:row + 5, column:column + 5] = shapes * 2.0 - 1
    return images.reshape(len(WORDS), PLACES, SIZE * SIZE)


def pictures(n: int, seed: int = 0):
    """n pictures: a word at random, and its shape at a random place."""
    g = torch.Generator().manual_seed(seed)
    word = torch.randint(len(WORDS), (n,), generator=g)
    place = torch.randint(PLACES, (n,), generator=g)
    return every_picture()[word, place], word
# --8<-- [end:data]


# --8<-- [start:classifier]
def classifier(images, words, steps: int = 100, seed: int = 0):
    """A small network that names the shape in a picture, trained on real pictures
    with a little noise added, so that it also judges imperfect ones."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(SIZE * SIZE, 64), nn.ReLU(), nn.Linear(64, len(WORDS)))
    optimiser = Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        noisy = images + 0.3 * torch.randn_like(images)
        loss = nn.functional.cross_entropy(model(noisy), words)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return model.eval()
# --8<-- [end:classifier]


def nearest_real(drawn):
    """For each drawn picture, the real picture nearest to it (as word, place) and how
    many of its 64 pixels are wrong, after rounding each pixel to black or white."""
    real = every_picture().reshape(-1, SIZE * SIZE)  # [64 pictures, 64 pixels]
    wrong = (drawn.sign()[:, None, :] != real[None]).sum(-1)  # [n, 64]
    fewest, index = wrong.min(1)
    return index // PLACES, index % PLACES, fewest


def pixels_apart(drawn):
    """How many of the 64 pixels (rounded to black or white) two pictures differ in,
    on average over every pair: a variety measure that needs no picture to be good."""
    black = drawn.sign()
    differ = (black[:, None, :] != black[None]).sum(-1).double()  # [n, n]
    n = len(drawn)
    return (differ.sum() / (n * (n - 1))).item()


def draw(samples, guidance, path="text_to_image_samples.svg"):
    """One row per word: six samples without guidance (guidance[0]) and six at
    guidance[2]."""
    fig, axes = plt.subplots(len(WORDS), 13, figsize=(9, 3.2))
    for row, word in enumerate(WORDS):
        for k in range(13):
            axis = axes[row, k]
            axis.set_axis_off()
            if k == 6:
                continue  # a gap between the two guidance strengths
            w = guidance[0] if k < 6 else guidance[2]
            image = samples[w][row][k % 7].reshape(SIZE, SIZE)
            axis.imshow(image.clamp(-1, 1).numpy(), cmap="gray_r", vmin=-1, vmax=1)
        axes[row, 0].text(-1.5, 3.5, word, ha="right", va="center", fontsize=9)
    axes[0, 0].set_title(f"guidance w = {guidance[0]:g}", fontsize=9, loc="left")
    axes[0, 7].set_title(f"guidance w = {guidance[2]:g}", fontsize=9, loc="left")
    fig.subplots_adjust(left=0.1, right=0.99, top=0.9, bottom=0.02, wspace=0.1, hspace=0.1)
    fig.savefig(path, dpi=100)


def plot(guidance, accuracy, places, path="text_to_image_guidance.svg"):
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    values = [accuracy[w][0] for w in guidance]
    errors = [accuracy[w][1] for w in guidance]
    left.errorbar(guidance, values, yerr=errors, marker="o", capsize=3)
    left.set(xlabel="guidance strength w", ylabel="share recognised",
             title="the classifier agrees with the word", ylim=(0, 1.05))
    right.plot(guidance, [places[w] for w in guidance], "o-", color="C1")
    right.axhline(PLACES, color="gray", linestyle="--", label="every place")
    right.set(xlabel="guidance strength w", ylabel="places drawn, of 16",
              title="variety: places per word", ylim=(0, PLACES + 1))
    right.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    images, words = pictures(4000)
    judge = classifier(images[:1000], words[:1000])  # its own 1000 real pictures
    test_images, test_words = pictures(1000, seed=1)
    with torch.no_grad():
        right = (judge(test_images).argmax(1) == test_words).double().mean()
    print(f"the classifier, on 1000 real pictures it never saw: {right:.1%} right")

    model = train(images, labels=words, n_labels=len(WORDS), hidden=128, batch=128)
    per_word, guidance = 40, [0.0, 1.0, 2.0, 4.0]
    asked = torch.arange(len(WORDS)).repeat_interleave(per_word)  # [160]
    n = len(asked)
    # a reference: real pictures, as many per word, each at a random place
    real_place = torch.randint(PLACES, (n,), generator=torch.Generator().manual_seed(3))
    real = every_picture()[asked, real_place]
    real_places = sum(len(set(real_place[asked == k].tolist()))
                      for k in range(len(WORDS))) / len(WORDS)
    real_apart = sum(pixels_apart(real[asked == k]) for k in range(len(WORDS))) / len(WORDS)
    print(f"real pictures, {per_word} per word: places per word {real_places:.1f} of {PLACES}; "
          f"pixels apart {real_apart:.1f}")
    print(f"{n} pictures at each guidance strength, {per_word} per word:")
    accuracy, places, apart, samples = {}, {}, {}, {}
    for w in guidance:
        drawn, _ = sample(model, n, dim=SIZE * SIZE, labels=asked, n_labels=len(WORDS),
                          guidance=w, seed=2)
        drawn = drawn.clamp(-1, 1)
        with torch.no_grad():
            share = (judge(drawn).argmax(1) == asked).double().mean().item()
        half = 1.96 * (max(share * (1 - share), 1 / n) / n) ** 0.5  # 95% interval
        word, place, wrong = nearest_real(drawn)
        close = (wrong <= 6) & (word == asked)  # the word's shape, at most 6 pixels off
        places[w] = sum(len(set(place[close & (asked == k)].tolist()))
                        for k in range(len(WORDS))) / len(WORDS)
        apart[w] = sum(pixels_apart(drawn[asked == k]) for k in range(len(WORDS))) / len(WORDS)
        accuracy[w] = (share, half)
        samples[w] = [drawn[asked == k] for k in range(len(WORDS))]
        print(f"  w = {w:g}: recognised {share:.1%} (+/- {half:.1%}); the word's shape "
              f"within 6 pixels {close.double().mean():.1%}; places per word "
              f"{places[w]:.1f} of {PLACES}; pixels apart {apart[w]:.1f}")
    draw(samples, guidance)
    plot(guidance, accuracy, places)
    # --8<-- [end:main]
