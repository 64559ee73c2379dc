"""A model cascade: a cheap model answers what it is sure of, a costly one the rest."""

import matplotlib.pyplot as plt
import torch

CHEAP_COST, EXPENSIVE_COST = 1.0, 20.0  # price of one query to each model
NEIGHBOURS = 15  # the expensive model votes among this many stored examples


# --8<-- [start:data]
def make_queries(n: int, generator):
    """Queries are points in the plane; the right answer is the side of a wavy border.
    Most queries lie far from the border and are easy; 2% of the labels are wrong."""
    x = torch.randn(n, 2, generator=generator) * torch.tensor([2.0, 1.0])  # [n, 2]
    label = (x[:, 0] + 0.4 * torch.sin(3 * x[:, 1]) > 0).long()  # [n]
    noisy = torch.rand(n, generator=generator) < 0.02
    return x, torch.where(noisy, 1 - label, label)
# --8<-- [end:data]


# --8<-- [start:models]
def train_cheap(x, y, steps: int = 300, learning_rate: float = 0.5):
    """The cheap model: logistic regression, a straight border. Returns a function that
    gives each query an answer and a confidence (the probability of that answer)."""
    weight = torch.zeros(2, 2, requires_grad=True)
    bias = torch.zeros(2, requires_grad=True)
    for _ in range(steps):
        loss = torch.nn.functional.cross_entropy(x @ weight + bias, y)
        loss.backward()
        with torch.no_grad():
            for parameter in (weight, bias):
                parameter -= learning_rate * parameter.grad
                parameter.grad.zero_()

    def cheap(queries):  # [n, 2] -> answers [n], confidences [n]
        with torch.no_grad():
            probabilities = torch.softmax(queries @ weight + bias, dim=-1)  # [n, 2]
        confidence, answer = probabilities.max(dim=-1)
        return answer, confidence

    return cheap


def make_expensive(x, y, k: int = NEIGHBOURS):
    """The expensive model: k nearest neighbours. It compares each query with all the
    stored examples, so it follows the wavy border, at a much higher cost per query."""

    def expensive(queries):  # [n, 2] -> answers [n]
        nearest = torch.cdist(queries, x).topk(k, largest=False).indices  # [n, k]
        return (y[nearest].float().mean(dim=1) > 0.5).long()

    return expensive
# --8<-- [end:models]


# --8<-- [start:cascade]
def cascade(cheap_answer, confidence, expensive_answer, threshold: float,
            prices=(CHEAP_COST, EXPENSIVE_COST)):
    """Keep the cheap answer when its confidence reaches the threshold; otherwise pay
    for the expensive model too. Returns the answers and the mean cost per query."""
    escalate = confidence < threshold  # [n]
    answer = torch.where(escalate, expensive_answer, cheap_answer)
    cost = prices[0] + prices[1] * escalate.float().mean().item()
    return answer, cost


def accuracy(answer, y) -> float:
    return (answer == y).float().mean().item()


def cheapest_match(cheap_answer, confidence, expensive_answer, y, thresholds):
    """The lowest threshold at which the cascade is as accurate as the costly model."""
    target = accuracy(expensive_answer, y)
    for threshold in thresholds:
        answer, _ = cascade(cheap_answer, confidence, expensive_answer, threshold)
        if accuracy(answer, y) >= target:
            return threshold
    return thresholds[-1]
# --8<-- [end:cascade]


def plot(curve, points, x, escalated, path: str = "cascade.svg", shown: int = 800):
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    x, escalated = x[:shown], escalated[:shown]  # enough queries to see the pattern
    left.scatter(*x[~escalated].T, s=2, color="C0", label="answered by the cheap model")
    left.scatter(*x[escalated].T, s=2, color="C3", label="sent on to the expensive one")
    border = torch.linspace(-3, 3, 200)
    left.plot(-0.4 * torch.sin(3 * border), border, color="black", linewidth=1)
    left.set(xlim=(-4, 4), ylim=(-3, 3), xlabel="query feature 1", ylabel="feature 2")
    left.set_title(f"Who answers the first {shown} test queries", fontsize=10)
    left.legend(fontsize=7, loc="lower right", markerscale=4)
    costs, accuracies = zip(*curve)
    right.plot(costs, accuracies, color="C2", label="cascade, threshold 0.5 to 1")
    for (name, (cost, value)), marker in zip(points.items(), "s^o"):
        right.plot(cost, value, marker, markersize=6, label=name)
    right.set(xlabel="mean cost per query", ylabel="test accuracy", xscale="log")
    right.set_xticks([1, 2, 5, 10, 20], ["1", "2", "5", "10", "20"])
    right.minorticks_off()
    right.set_title("Accuracy against cost", fontsize=10)
    right.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    generator = torch.Generator().manual_seed(0)
    train, validation, test = (make_queries(n, generator) for n in (2000, 4000, 4000))
    cheap = train_cheap(*train)
    expensive = make_expensive(*train)

    # Choose the threshold on validation queries, then report on unseen test queries.
    thresholds = [0.5 + i / 200 for i in range(101)]  # 0.5, 0.505, ..., 1.0
    x, y = validation
    threshold = cheapest_match(*cheap(x), expensive(x), y, thresholds)

    x, y = test
    cheap_answer, confidence = cheap(x)
    expensive_answer = expensive(x)
    matched, cost = cascade(cheap_answer, confidence, expensive_answer, threshold)
    escalated = confidence < threshold
    print(f"test queries: {len(y)}; prices: cheap {CHEAP_COST:g}, "
          f"expensive {EXPENSIVE_COST:g}")
    print(f"cheap model alone:     accuracy {accuracy(cheap_answer, y):.3f}, "
          f"cost {CHEAP_COST:.2f}")
    print(f"expensive model alone: accuracy {accuracy(expensive_answer, y):.3f}, "
          f"cost {EXPENSIVE_COST:.2f}")
    print(f"cascade, threshold {threshold:.3f} (chosen on validation queries):")
    print(f"    {escalated.float().mean():.1%} of queries sent on; "
          f"accuracy {accuracy(matched, y):.3f}, cost {cost:.2f} "
          f"= {cost / EXPENSIVE_COST:.0%} of the expensive model's")

    curve = []  # (cost, accuracy) at each threshold
    for t in thresholds:
        answer, c = cascade(cheap_answer, confidence, expensive_answer, t)
        curve.append((c, accuracy(answer, y)))
    points = {
        "cheap model alone": (CHEAP_COST, accuracy(cheap_answer, y)),
        "expensive model alone": (EXPENSIVE_COST, accuracy(expensive_answer, y)),
        "cascade at the chosen threshold": (cost, accuracy(matched, y)),
    }
    plot(curve, points, x, escalated)
    # --8<-- [end:main]
