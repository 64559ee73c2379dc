"""Bias learned from skewed data, and one fix at each of the four places to intervene:
the data, the training, the inference and the output. A small classifier decides
whom to invite to an interview from past decisions that held group B back. The test:
how many decisions flip when only the group is swapped, and how far apart the two
groups' invitation rates are, over five seeds."""

import statistics

import torch
import torch.nn.functional as F

FEATURES = ["skill", "experience", "district", "group"]  # group: 0 = A, 1 = B


# --8<-- [start:data]
def applicants(n: int, seed: int):
    """Features [n, 4] and two labels [n]: `past`, the skewed decisions the model
    learns from (group B needed about one standard deviation more skill), and `merit`,
    the same decision without that penalty. A quarter of the applicants are in group B,
    and most of them live in district 1, so the district is a proxy for the group."""
    generator = torch.Generator().manual_seed(seed)
    skill, experience, noise = torch.randn(3, n, generator=generator, dtype=torch.float64)
    group = (torch.rand(n, generator=generator) < 0.25).double()
    district = torch.where(torch.rand(n, generator=generator) < 0.8, group, 1 - group)
    merit = (skill + 0.5 * experience + 0.3 * noise > 0).double()
    past = (skill + 0.5 * experience + 0.3 * noise - 1.0 * group > 0).double()
    return torch.stack([skill, experience, district, group], 1), past, merit


def swap_group(x):
    """The counterfactual applicant: the same in every way but the group."""
    x = x.clone()
    x[:, 3] = 1 - x[:, 3]
    return x
# --8<-- [end:data]


# --8<-- [start:train]
def train(x, y, pairing: float = 0.0, steps: int = 200, seed: int = 0):
    """Logistic regression by gradient descent. pairing > 0 adds a penalty on the
    difference between each applicant's score and its counterfactual's
    (counterfactual logit pairing): an intervention in the training."""
    torch.manual_seed(seed)
    model = torch.nn.Linear(x.shape[1], 1).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    for _ in range(steps):
        scores = model(x)[:, 0]  # [n]
        loss = F.binary_cross_entropy_with_logits(scores, y)
        if pairing:
            loss = loss + pairing * (scores - model(swap_group(x))[:, 0]).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model
# --8<-- [end:train]


# --8<-- [start:measure]
@torch.no_grad()
def decide(model, x, average_groups: bool = False, thresholds=(0.0, 0.0)):
    """Invite (1) or not (0). average_groups: score each applicant as the mean of its
    scores as a member of A and of B (an intervention at inference). thresholds: a
    score each group must pass (an intervention on the output)."""
    scores = model(x)[:, 0]
    if average_groups:
        scores = (scores + model(swap_group(x))[:, 0]) / 2
    bar = torch.where(x[:, 3] == 1, thresholds[1], thresholds[0])
    return (scores > bar).double()


def measure(model, x, merit, **kwargs):
    """flip: the share of decisions that change when only the group is swapped;
    gap: group A's invitation rate minus group B's; accuracy against merit."""
    decisions = decide(model, x, **kwargs)
    flipped = decide(model, swap_group(x), **kwargs) != decisions
    in_b = x[:, 3] == 1
    gap = decisions[~in_b].mean() - decisions[in_b].mean()
    accuracy = (decisions == merit).double().mean()
    return flipped.double().mean().item(), gap.item(), accuracy.item()


def equalising_thresholds(model, x):
    """Per-group thresholds that give both groups the overall invitation rate."""
    with torch.no_grad():
        scores = model(x)[:, 0]
    rate = (scores > 0).double().mean()
    return tuple(torch.quantile(scores[x[:, 3] == g], 1 - rate).item() for g in (0, 1))
# --8<-- [end:measure]


if __name__ == "__main__":
    # --8<-- [start:main]
    results, district = {}, {}  # district: each trained model's weight on the district
    for seed in range(5):
        x, past, merit = applicants(2000, seed)  # the skewed past: training data
        x_test, _, merit_test = applicants(2000, 100 + seed)
        plain = train(x, past, seed=seed)
        augmented = torch.cat([x, swap_group(x)])  # every applicant also in the other group
        runs = {
            "none": (plain, {}),
            "data: counterfactual augmentation": (
                train(augmented, torch.cat([past, past]), seed=seed), {}),
            "training: counterfactual pairing": (train(x, past, pairing=1.0, seed=seed), {}),
            "inference: average over groups": (plain, {"average_groups": True}),
            "output: per-group thresholds": (
                plain, {"thresholds": equalising_thresholds(plain, x)}),
        }
        for name, (model, kwargs) in runs.items():
            results.setdefault(name, []).append(measure(model, x_test, merit_test, **kwargs))
            if name in ("none", "data: counterfactual augmentation",
                        "training: counterfactual pairing"):  # the three trained models
                district.setdefault(name.split(":")[0], []).append(model.weight[0, 2].item())
        if seed == 0:
            weights = plain.weight[0].tolist()
            print("learned weights: " + ", ".join(
                f"{f} {w:+.2f}" for f, w in zip(FEATURES, weights)))

    print("n = 2000 test applicants (a quarter in group B); mean ± sd over 5 seeds")
    print(f"{'intervention':<36}{'flip rate':>14}{'gap A - B':>16}{'accuracy':>16}")
    for name, rows in results.items():
        cells = []
        for column in zip(*rows):
            cells.append(f"{statistics.mean(column):6.1%} ± {statistics.stdev(column):4.1%}")
        print(f"{name:<36}" + "".join(f"{c:>16}" for c in cells))
    print("weight on the district, mean ± sd over 5 seeds: " + ", ".join(
        f"{k} {statistics.mean(w):+.2f} ± {statistics.stdev(w):.2f}" for k, w in district.items()))
    # --8<-- [end:main]
