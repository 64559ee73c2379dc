"""Chapter 2's exercises: each solution's claim, checked."""

import torch


def old_mean(result, tasks):
    return sum(result[t] for t in tasks) / len(tasks)


def test_more_old_data_keeps_more_of_the_old_tasks(ran):
    exercise = ran("ch02/exercise_how_much_old_data.py").namespace
    chapter = ran("ch02/forgetting.py").namespace
    tasks = chapter["FIRST_TASKS"]
    by_share = {
        0.0: old_mean(chapter["results"]["shift alone"], tasks),
        0.2: old_mean(chapter["results"]["shift + 20% old data"], tasks),
        **exercise["old_accuracy"],
    }
    shares = sorted(by_share)
    assert shares == [0.0, 0.05, 0.2, 0.5]
    accuracies = [by_share[s] for s in shares]
    assert accuracies == sorted(accuracies), "more old data, more of the old tasks kept"
    assert accuracies[-1] >= 0.97


def test_training_only_the_instruction_cannot_forget_and_does_not_learn(ran, snippet):
    run = ran("ch02/exercise_train_only_the_instruction.py").namespace
    tasks = snippet("ch02/one_model_many_tasks.py")
    model, tuned = run["model"], run["tuned"]
    assert run["changed"] == ["embed.weight"]
    assert run["rows"].tolist() == [tasks.IDS["shift"]]
    for task in tasks.FIRST_TASKS:  # the old tasks answer exactly as before
        texts = run["test_strings"]
        assert tasks.answer(model, task, texts) == tasks.answer(tuned, task, texts)
    assert tasks.accuracy(tuned, "shift", run["test_strings"]) < 0.05
    assert run["letters"] / (4 * len(run["test_strings"])) < 0.3  # near chance, 1/6
    assert not torch.equal(model.embed.weight, tuned.embed.weight)
