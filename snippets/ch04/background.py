"""The classifier that learned the background: in the training images every cross is
on snow and every ring on grass, so a small network can score perfectly by looking
at the background alone. On test images, where the background says nothing about the
object, it is no better than a coin. Training images with varied backgrounds fix it.
"""

import matplotlib.pyplot as plt
import torch
from torch import nn

SIZE = 12  # images are 3 x 12 x 12 (RGB)
SNOW, GRASS = torch.tensor([0.9, 0.9, 0.95]), torch.tensor([0.25, 0.6, 0.2])
CLASSES = ["cross", "ring"]


# --8<-- [start:data]
def shape(label: int):
    """A 5 x 5 mask of the object: a cross (label 0) or a ring (label 1)."""
    mask = torch.zeros(5, 5)
    if label == 0:
        mask[2, :], mask[:, 2] = 1, 1
    else:
        mask[0, :], mask[-1, :], mask[:, 0], mask[:, -1] = 1, 1, 1, 1
    return mask


def make_images(n: int, background_matches_label: float, seed: int):
    """n images of a dark object at a random place on snow or grass.

    background_matches_label: how often a cross is on snow and a ring on grass (1.0:
    always, as in the biased training set; 0.5: the background says nothing)."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.randint(2, (n,), generator=generator)  # [n]
    matches = torch.rand(n, generator=generator) < background_matches_label
    on_snow = (labels == 0) == matches  # [n]: if matching, crosses on snow, rings on grass
    colour = torch.where(on_snow[:, None], SNOW, GRASS)  # [n, 3]
    noise = 0.08 * torch.randn(n, 3, SIZE, SIZE, generator=generator)
    images = colour[:, :, None, None] + noise  # [n, 3, SIZE, SIZE]
    for i, label in enumerate(labels.tolist()):
        row, col = torch.randint(SIZE - 4, (2,), generator=generator).tolist()
        mask = shape(label).bool()
        images[i, :, row : row + 5, col : col + 5][:, mask] = 0.1  # the object, dark
    return images.clamp(0, 1), labels  # [n, 3, SIZE, SIZE], [n]
# --8<-- [end:data]


# --8<-- [start:model]
def make_classifier():
    """A small convolutional network: it could learn the shape wherever it is."""
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
        nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
        nn.AdaptiveMaxPool2d(1),  # each filter's strongest response, wherever it is
        nn.Flatten(),  # [batch, 8]
        nn.Linear(8, 2),
    )


def train(images, labels, steps: int = 60, seed: int = 0):
    torch.manual_seed(seed)
    model = make_classifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        batch = torch.randint(len(images), (32,), generator=generator)
        loss = nn.functional.cross_entropy(model(images[batch]), labels[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


@torch.no_grad()
def accuracy(model, images, labels) -> float:
    return (model(images).argmax(1) == labels).float().mean().item()
# --8<-- [end:model]


def show(images, titles, path: str = "background_images.png"):
    fig, axes = plt.subplots(1, len(images), figsize=(1.25 * len(images), 1.9))
    for ax, image, title in zip(axes, images, titles):
        ax.imshow(image.permute(1, 2, 0).numpy())  # [height, width, 3]
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    biased_images, biased_labels = make_images(1000, background_matches_label=1.0, seed=0)
    diverse_images, diverse_labels = make_images(1000, background_matches_label=0.5, seed=1)
    test_images, test_labels = make_images(1000, background_matches_label=0.5, seed=2)
    swapped_images, swapped_labels = make_images(500, background_matches_label=0.0, seed=3)

    print("trained on      training   test: random background   test: swapped background")
    results, models = {}, {}
    for name, images, labels in [("biased images", biased_images, biased_labels),
                                 ("diverse images", diverse_images, diverse_labels)]:
        models[name] = train(images, labels)
        results[name] = (accuracy(models[name], images, labels),
                         accuracy(models[name], test_images, test_labels),
                         accuracy(models[name], swapped_images, swapped_labels))
        train_accuracy, test_accuracy, swapped_accuracy = results[name]
        print(f"{name:<15}{train_accuracy:>9.1%}{test_accuracy:>26.1%}"
              f"{swapped_accuracy:>27.1%}")

    # four training images, then four swapped test images with the biased model's guesses
    with torch.no_grad():
        guesses = models["biased images"](swapped_images[:4]).argmax(1).tolist()
    show(torch.cat([biased_images[:4], swapped_images[:4]]),
         [f"training\n{CLASSES[label]}" for label in biased_labels[:4].tolist()]
         + [f"test: {CLASSES[label]}\nguess: {CLASSES[guess]}"
            for label, guess in zip(swapped_labels[:4].tolist(), guesses)])
    # --8<-- [end:main]
