"""Chapter 2: fine-tuning on a new task alone forgets the old ones; old data mixed in
prevents most of the loss."""

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch02/forgetting.py").namespace


def old_mean(result, run):
    return sum(result[t] for t in run["FIRST_TASKS"]) / len(run["FIRST_TASKS"])


def test_before_fine_tuning_the_old_tasks_work_and_the_new_does_not(run):
    before = run["results"]["before fine-tuning"]
    assert min(before[t] for t in run["FIRST_TASKS"]) >= 0.97
    assert before["shift"] < 0.05


def test_fine_tuning_on_the_new_task_alone_forgets_the_old_ones(run):
    alone = run["results"]["shift alone"]
    assert alone["shift"] >= 0.97
    assert max(alone[t] for t in run["FIRST_TASKS"]) <= 0.05


def test_the_forgetful_model_shifts_whatever_it_is_asked(run):
    for task in run["FIRST_TASKS"]:
        assert run["shifted"][task] > 0.75, task
    face = run["TASKS"]["shift"]("face")
    assert all(run["answer"](run["alone"], task, ["face"])[0] == face for task in run["TASKS"])


def test_a_little_old_data_prevents_most_of_the_loss(run):
    results = run["results"]
    before = old_mean(results["before fine-tuning"], run)
    alone = old_mean(results["shift alone"], run)
    mixed = old_mean(results["shift + 20% old data"], run)
    assert results["shift + 20% old data"]["shift"] >= 0.97
    assert (mixed - alone) / (before - alone) >= 0.9


def test_with_old_data_the_old_tasks_dip_then_recover(run):
    """The curve on the page: the 'stability gap' early in fine-tuning."""
    means = [old_mean(scores, run) for _, scores in run["curve_mixed"]]
    assert means[0] >= 0.95
    assert min(means) < 0.5
    assert means[-1] >= 0.9
    assert max(old_mean(s, run) for _, s in run["curve_alone"][3:]) <= 0.05


def test_fine_tuning_leaves_the_original_model_alone(run):
    again = run["scores"](run["model"], run["test_strings"])
    assert again == run["results"]["before fine-tuning"]


def test_the_figure_draws_the_measured_curves(run, tmp_path):
    """Each panel has one line per task, through the accuracies measured every 10 steps;
    the new task's line is solid, the old tasks' dashed."""
    curves = {"alone": run["curve_alone"], "mixed": run["curve_mixed"]}
    fig = run["plot_curves"](curves, tmp_path / "forgetting.svg")
    try:
        for ax, curve in zip(fig.axes, curves.values()):
            lines = {line.get_label(): line for line in ax.get_lines()}
            assert set(lines) == set(run["TASKS"])
            for task, line in lines.items():
                assert list(line.get_xdata()) == [step for step, _ in curve]
                assert list(line.get_ydata()) == [100 * scores[task] for _, scores in curve]
                assert line.get_linestyle() == ("-" if task == run["NEW_TASK"] else "--")
    finally:
        run["plt"].close(fig)
