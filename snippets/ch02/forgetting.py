"""Fine-tuning on a new task alone makes a model forget its old tasks; mixing a little
old data into the fine-tuning keeps them.

Needs one_model_many_tasks.py (this chapter's first example) beside it.
"""

import copy

import matplotlib.pyplot as plt

from one_model_many_tasks import (
    FIRST_TASKS,
    TASKS,
    FeedForwardLM,
    accuracy,
    answer,
    split_strings,
    train,
)

NEW_TASK = "shift"
# How far the figure's points may move on another CPU (checked by the book's tests): its
# curves are measured on 200 strings, and float32's last bits flip a few of them, each
# moving a point by under a point of the drawing. The printed table (648 strings) holds.
OUTPUT_TOLERANCE = {"forgetting.svg": 3.0}


# --8<-- [start:fine_tune]
def fine_tune(model, train_strings, old_examples, old_share, curve_strings=(), lr=0.01, seed=1):
    """Train a copy of `model` on the new task; `old_share` of each batch is old data.

    Returns the copy and, if `curve_strings` are given, its accuracy on them for every
    task, measured every 10 steps. remedies.py varies the learning rate `lr` and the `seed`
    that orders the batches."""
    model = copy.deepcopy(model)  # the original stays as it was
    new_examples = [(NEW_TASK, text) for text in train_strings]
    curve = []

    def measure(step):
        if curve_strings and step % 10 == 0:
            curve.append((step, scores(model, curve_strings)))

    measure(0)
    train(
        model, new_examples, steps=150, lr=lr,
        old=old_examples, old_share=old_share, seed=seed, log=measure,
    )
    return model, curve


def scores(model, texts) -> dict[str, float]:
    return {task: accuracy(model, task, texts) for task in TASKS}
# --8<-- [end:fine_tune]


def plot_curves(curves: dict[str, list], path: str = "forgetting.svg"):
    fig, axes = plt.subplots(1, len(curves), figsize=(8, 3.3), sharey=True)
    for ax, (title, curve) in zip(axes, curves.items()):
        steps = [step for step, _ in curve]
        for task in TASKS:
            style = "-" if task == NEW_TASK else "--"
            ax.plot(steps, [100 * s[task] for _, s in curve], style, label=task)
        ax.set(title=title, xlabel="fine-tuning step")
    axes[0].set_ylabel("accuracy on held-out strings (%)")
    axes[-1].legend(loc="center right")
    fig.tight_layout()
    fig.savefig(path)
    return fig


if __name__ == "__main__":
    # --8<-- [start:main]
    train_strings, test_strings = split_strings()
    old_examples = [(task, text) for task in FIRST_TASKS for text in train_strings]
    model = train(FeedForwardLM(), old_examples)  # the model of section 2.1, trained again

    curve_strings = test_strings[:200]  # a fixed sample keeps the curves quick
    alone, curve_alone = fine_tune(model, train_strings, old_examples, 0.0, curve_strings)
    mixed, curve_mixed = fine_tune(model, train_strings, old_examples, 0.2, curve_strings)

    results = {
        "before fine-tuning": scores(model, test_strings),
        f"{NEW_TASK} alone": scores(alone, test_strings),
        f"{NEW_TASK} + 20% old data": scores(mixed, test_strings),
    }
    print(f"{'accuracy on held-out strings':28}" + "".join(f"{t:>9}" for t in TASKS))
    for name, result in results.items():
        print(f"{name:28}" + "".join(f"{result[t]:>9.0%}" for t in TASKS))

    asked = [f"{task} face = {answer(alone, task, ['face'])[0]}" for task in TASKS]
    print(f"after '{NEW_TASK} alone':\n  " + "   ".join(asked))
    shifted = {
        task: sum(a == TASKS[NEW_TASK](t) for a, t in
                  zip(answer(alone, task, test_strings), test_strings)) / len(test_strings)
        for task in FIRST_TASKS
    }
    print("  answers that are the shifted string: "
          + ", ".join(f"{task} {share:.0%}" for task, share in shifted.items()))

    plot_curves(
        {f"{NEW_TASK} alone": curve_alone, f"{NEW_TASK} + 20% old data": curve_mixed}
    )
    # --8<-- [end:main]
