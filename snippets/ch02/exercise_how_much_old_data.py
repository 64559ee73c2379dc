"""Exercise: how much old data must be mixed into fine-tuning to keep the old tasks?

Needs forgetting.py and one_model_many_tasks.py (this chapter's examples) beside it.
"""

from forgetting import fine_tune, scores
from one_model_many_tasks import FIRST_TASKS, TASKS, FeedForwardLM, split_strings, train

if __name__ == "__main__":
    train_strings, test_strings = split_strings()
    old_examples = [(task, text) for task in FIRST_TASKS for text in train_strings]
    model = train(FeedForwardLM(), old_examples)
    old_accuracy = {}
    print("old data" + "".join(f"{t:>9}" for t in TASKS) + "   old tasks, mean")
    for share in (0.05, 0.5):
        tuned, _ = fine_tune(model, train_strings, old_examples, share)
        result = scores(tuned, test_strings)
        old_accuracy[share] = sum(result[t] for t in FIRST_TASKS) / len(FIRST_TASKS)
        print(f"{share:8.0%}" + "".join(f"{result[t]:>9.0%}" for t in TASKS)
              + f"{old_accuracy[share]:>19.0%}")
