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


def test_an_adapter_starts_as_its_layer_and_adds_a_low_rank_change(snippet):
    exercise = snippet("ch02/exercise_adapter.py")
    torch.manual_seed(0)
    layer = torch.nn.Linear(6, 5)
    adapter = exercise.LoRALinear(layer, rank=2, alpha=4.0)
    x = torch.randn(3, 6)  # [batch, in]
    torch.testing.assert_close(adapter(x), layer(x))  # B starts at zero
    with torch.no_grad():
        adapter.B.normal_()
    merged = layer.weight + 4.0 / 2 * adapter.B @ adapter.A  # W + (alpha / rank) B A
    torch.testing.assert_close(adapter(x), torch.nn.functional.linear(x, merged, layer.bias))
    trainable = [p for p in adapter.parameters() if p.requires_grad]
    assert sum(p.numel() for p in trainable) == 2 * (6 + 5)


def test_adapters_learn_the_new_task_and_forget_the_old_ones_all_the_same(ran, snippet):
    run = ran("ch02/exercise_adapter.py").namespace
    replay = ran("ch02/remedies.py").namespace["results"]["replay: 20% old data"]
    layers = [run["model"].classify[0], run["model"].classify[2]]
    assert run["trainable"] == sum(4 * (layer.in_features + layer.out_features) for layer in layers)
    assert run["trainable"] < 0.1 * run["total"]
    assert min(shift for shift, _ in run["results"]) >= 0.97
    assert max(old for _, old in run["results"]) <= 0.05  # as much as with no remedy
    assert min(old for _, old in replay) >= 0.9
    # the original parameters are untouched, so removing the adapters restores the model
    assert run["unchanged"]
    before = snippet("ch02/forgetting.py").scores(run["model"], run["test_strings"])
    assert run["removed"] == before
