"""Self-consistency: ask k times, take the majority, and see when voting helps."""

import math

import matplotlib.pyplot as plt
import torch

ACCURACY = 0.6  # p: the chance that one sampled answer is right
VOTES = [1, 3, 5, 9, 15, 25, 45]  # k: odd, so a vote between two answers never ties
CORRELATIONS = [0.0, 0.1, 0.3]  # rho: how much a question's samples share their errors
QUESTIONS = 20_000


# --8<-- [start:exact]
def beta_parameters(p: float, rho: float) -> tuple[float, float]:
    """Beta(a, b) with mean p whose draws give votes with correlation rho."""
    total = 1 / rho - 1  # a + b: rho = 1 / (a + b + 1)
    return p * total, (1 - p) * total


def majority_accuracy(k: int, p: float, rho: float = 0.0) -> float:
    """P(more than half of k votes are right), exactly.

    rho = 0: every vote is right with probability p on its own: a binomial tail.
    rho > 0: each question has its own accuracy q ~ Beta(a, b) with mean p, and its
    k votes share that q: a beta-binomial tail."""
    majorities = range(k // 2 + 1, k + 1)
    if rho == 0:
        return sum(math.comb(k, j) * p**j * (1 - p) ** (k - j) for j in majorities)
    a, b = beta_parameters(p, rho)

    def log_beta(x, y):
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    return sum(
        math.comb(k, j) * math.exp(log_beta(a + j, b + k - j) - log_beta(a, b))
        for j in majorities
    )
# --8<-- [end:exact]


# --8<-- [start:simulate]
def sample_votes(questions: int, k: int, p: float, rho: float):
    """k sampled answers to each question: True where the answer is right."""
    if rho == 0:
        accuracy = torch.full((questions, 1), p)  # every question alike
    else:
        a, b = beta_parameters(p, rho)
        beta = torch.distributions.Beta(a, b)
        accuracy = beta.sample((questions, 1))  # [questions, 1]: one per question
    return torch.rand(questions, k) < accuracy  # [questions, k]


def simulated_accuracy(votes, k: int) -> float:
    """Majority vote over the first k samples of each question."""
    right = votes[:, :k].sum(dim=1)  # [questions]
    return (right > k // 2).float().mean().item()
# --8<-- [end:simulate]


def never_fixed(p: float, rho: float, points: int = 100_000) -> float:
    """The share of questions whose own accuracy q is below 1/2: no number of votes
    fixes them. The Beta density integrated over (0, 1/2) by the midpoint rule."""
    if rho == 0:
        return 0.0 if p > 0.5 else 1.0
    a, b = beta_parameters(p, rho)
    q = (torch.arange(points, dtype=torch.float64) + 0.5) / points / 2  # (0, 1/2)
    density = torch.distributions.Beta(
        torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    ).log_prob(q).exp()
    return (density.sum() * 0.5 / points).item()


def plot(table, path: str = "self_consistency.svg"):
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for rho, color in zip(CORRELATIONS, ["C0", "C1", "C3"]):
        exact = [table[rho, k][1] for k in VOTES]
        simulated = [table[rho, k][0] for k in VOTES]
        ax.plot(VOTES, exact, color=color, label=f"ρ = {rho}: exact")
        ax.plot(VOTES, simulated, "o", color=color, markersize=4, label="simulated")
        label = "limit as k grows" if rho == CORRELATIONS[-1] else None
        limit = 1 - never_fixed(ACCURACY, rho)
        ax.axhline(limit, color=color, linestyle=":", label=label)
    ax.set(xlabel="k, answers sampled per question", ylabel="majority-vote accuracy")
    ax.set_xscale("log")
    ax.set_xticks(VOTES, [str(k) for k in VOTES])
    ax.set_ylim(0.55, 1.0)
    ax.set_title(f"Voting helps only while the errors are independent (p = {ACCURACY})")
    ax.legend(fontsize=8, ncols=3, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    table = {}  # (rho, k) -> (simulated, exact)
    for rho in CORRELATIONS:
        votes = sample_votes(QUESTIONS, max(VOTES), ACCURACY, rho)  # [questions, 45]
        for k in VOTES:
            exact = majority_accuracy(k, ACCURACY, rho)
            table[rho, k] = (simulated_accuracy(votes, k), exact)

    print(f"one answer is right with p = {ACCURACY}; {QUESTIONS} questions per setting")
    print("majority-vote accuracy, simulated (exact):")
    print("  k   " + "".join(f"rho = {rho:<11}" for rho in CORRELATIONS).rstrip())
    for k in VOTES:
        cells = [f"{table[rho, k][0]:.3f} ({table[rho, k][1]:.3f})"
                 for rho in CORRELATIONS]
        print(f"{k:>3}   " + "    ".join(cells))
    limits = [f"({1 - never_fixed(ACCURACY, rho):.3f})" for rho in CORRELATIONS]
    print("  ∞   " + "".join(f"{limit:>13}    " for limit in limits).rstrip())
    plot(table)
    # --8<-- [end:main]
