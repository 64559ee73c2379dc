"""Remedies for forgetting, compared on one table over three seeds: a smaller learning
rate, and replay of old data.

Needs forgetting.py and one_model_many_tasks.py (this chapter's examples) beside it.
"""

from forgetting import fine_tune, scores
from one_model_many_tasks import FIRST_TASKS, FeedForwardLM, split_strings, train

SEEDS = [1, 2, 3]  # fine-tuning seeds: each orders the batches differently


# --8<-- [start:compare]
def over_seeds(model, train_strings, old_examples, test_strings, lr=0.01, old_share=0.0):
    """Fine-tune once per seed. Returns the tuned copies and, for each, the pair
    (new-task accuracy, mean old-task accuracy)."""
    tuned_models, results = [], []
    for seed in SEEDS:
        tuned, _ = fine_tune(model, train_strings, old_examples, old_share, lr=lr, seed=seed)
        result = scores(tuned, test_strings)
        old = sum(result[task] for task in FIRST_TASKS) / len(FIRST_TASKS)
        tuned_models.append(tuned)
        results.append((result["shift"], old))
    return tuned_models, results


def row(name: str, results) -> str:
    """The mean over the seeds, and in brackets the lowest and highest."""
    cells = []
    for values in zip(*results):  # the new task's accuracies, then the old tasks'
        mean = sum(values) / len(values)
        cells.append(f"{mean:.0%} ({100 * min(values):.0f}-{100 * max(values):.0f})")
    return f"{name:30}" + "".join(f"{cell:>16}" for cell in cells)
# --8<-- [end:compare]


if __name__ == "__main__":
    # --8<-- [start:main]
    train_strings, test_strings = split_strings()
    old_examples = [(task, text) for task in FIRST_TASKS for text in train_strings]
    model = train(FeedForwardLM(), old_examples)  # the model of section 2.1, trained again

    remedies = {  # name: how over_seeds differs from forgetting.py's "shift alone"
        "a tenth of the learning rate": {"lr": 0.001},
        "replay: 20% old data": {"old_share": 0.2},
    }
    print(f"accuracy on {len(test_strings)} held-out strings per task, "
          f"mean over {len(SEEDS)} seeds (lowest-highest)")
    print(f"{'fine-tuning on shift with':30}{'shift':>16}{'old tasks':>16}")
    results = {}
    for name, arguments in remedies.items():
        _, results[name] = over_seeds(
            model, train_strings, old_examples, test_strings, **arguments
        )
        print(row(name, results[name]))
    # --8<-- [end:main]
