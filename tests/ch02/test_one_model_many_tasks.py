"""Chapter 2: one small model follows several instructions."""

import pytest


@pytest.fixture(scope="module")
def tasks(snippet):
    return snippet("ch02/one_model_many_tasks.py")


def test_the_tasks_do_what_their_names_say(tasks):
    rotate = str.maketrans("abcdef", "bcdefa")
    for text in ["face", "bead", "fffa", "abcd"]:
        assert tasks.TASKS["reverse"](text) == "".join(reversed(text))
        assert tasks.TASKS["sort"](text) == "".join(sorted(text))
        assert tasks.TASKS["upper"](text) == text.upper()
        assert tasks.TASKS["shift"](text) == text.translate(rotate)


def test_test_strings_are_held_out(tasks):
    train, test = tasks.split_strings()
    assert len(train) == len(test) == 6**4 // 2
    assert not set(train) & set(test)
    assert set(tasks.WORDS) <= set(test)


def test_training_pairs_are_next_token_prediction_on_the_answer(tasks):
    contexts, targets = tasks.training_pairs([("sort", "face")])
    assert contexts.shape == (tasks.LENGTH, tasks.CONTEXT)
    full = tasks.prompt("sort", "face") + [tasks.IDS[c] for c in "acef"]
    for k in range(tasks.LENGTH):
        position = len(full) - tasks.LENGTH + k
        assert contexts[k].tolist() == full[position - tasks.CONTEXT : position]
        assert targets[k].item() == full[position]
    # the instruction is still in view when the last letter is written
    assert contexts[-1, 0].item() == tasks.IDS["sort"]


def test_batched_decoding_equals_one_at_a_time(tasks, ran):
    model = ran("ch02/one_model_many_tasks.py").namespace["model"]
    texts = ["face", "bead", "ffab", "dcba"]
    assert tasks.answer(model, "reverse", texts) == [
        tasks.answer(model, "reverse", [t])[0] for t in texts
    ]


def test_one_model_follows_every_instruction_it_was_taught(ran):
    run = ran("ch02/one_model_many_tasks.py").namespace
    for task in run["FIRST_TASKS"]:
        assert run["accuracies"][task] >= 0.97, task
    # an instruction it never saw in training means nothing to it
    assert run["accuracies"]["shift"] < 0.05


def test_the_parameter_count_follows_from_the_design(tasks, ran):
    """The count the page prints: an embedding per token, then two linear layers."""
    model = ran("ch02/one_model_many_tasks.py").namespace["model"]
    tokens, embedding = model.embed.weight.shape
    hidden = model.classify[0].out_features
    expected = (
        tokens * embedding
        + (tasks.CONTEXT * embedding + 1) * hidden  # weights and biases of the hidden layer
        + (hidden + 1) * tokens  # and of the output layer
    )
    assert tokens == len(tasks.TOKENS)
    assert sum(p.numel() for p in model.parameters()) == expected

