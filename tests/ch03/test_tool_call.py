"""Chapter 3: a model learns to write calculator calls; the application parses and runs
them and splices the result back, and the model reads it."""

import pytest


@pytest.fixture(scope="module")
def tools(snippet):
    return snippet("ch03/tool_call.py")


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch03/tool_call.py").namespace


def share(right):
    return sum(right) / len(right)


@pytest.mark.parametrize(
    "expression",
    ["1234 + 500", "1734 / 5.5", "-(2 - 7) * 3", "2 ** 10 - 1", "((1))", "3.5+2", "  37+ 485"],
)
def test_the_calculator_agrees_with_python(tools, expression):
    reference = eval(expression.strip())  # trusted input, written in this test
    assert tools.calculate(expression) == pytest.approx(reference)


@pytest.mark.parametrize(
    "attack",
    [
        "__import__('os').system('ls')",
        "open('x')",
        "x + 1",
        "'a' * 3",
        "[1, 2]",
        "9 ** 9 ** 9",
        "(lambda: 1)()",
        "1 if 1 else 2",
    ],
)
def test_the_calculator_refuses_everything_else(tools, attack):
    with pytest.raises(ValueError):
        tools.calculate(attack)


def test_the_model_learns_to_write_the_call_but_not_the_result(tools):
    text = tools.training_text(37, 485, with_tool=True)
    learned = "".join(token for token, learn in text if learn)
    read = "".join(token for token, learn in text if not learn)
    assert learned == "<tool>calculator:   37+ 485</tool>  522."
    assert read == "  37+ 485=<result>  522</result>"
    assert "".join(t for t, learn in tools.training_text(37, 485, False) if learn) == "  522."


def test_with_the_tool_the_model_is_right_at_every_size(run):
    for size, right in run["right"][True].items():
        assert share(right) >= 0.97, size


def test_without_the_tool_accuracy_falls_with_size(run, snippet):
    wilson = snippet("ch03/window_model.py").wilson
    alone, with_tool = run["right"][False], run["right"][True]
    shares = [share(alone[size]) for size in sorted(alone)]
    assert all(later < earlier for earlier, later in zip(shares, shares[1:]))
    assert shares[-1] < 0.2
    for size in (2, 3, 4):  # the gap is far beyond the noise
        assert wilson(sum(alone[size]), len(alone[size]))[1] < wilson(
            sum(with_tool[size]), len(with_tool[size])
        )[0]


def test_the_model_copies_the_question_into_its_call(run, tools):
    calls = [tools.CALL.search(text) for text in run["texts"]]
    copied = [
        call is not None and call["argument"] == tools.question(a, b)[:-1]
        for call, (a, b) in zip(calls, run["pairs"])
    ]
    assert len(copied) == 700 and share(copied) >= 0.99


def test_the_tool_users_few_mistakes_are_one_digit_miscopied_from_the_result(run, tools):
    assert 0 < len(run["mistakes"]) <= 6
    texts = tools.generate_with_tools(
        [tools.question(a, b) for a, b in run["mistakes"]], tools.writer(run["models"][True])
    )
    for (a, b), text in zip(run["mistakes"], texts):
        result = tools.RESULT.search(text)["value"]
        answer = text.split("</result>")[-1].rstrip(".")
        assert a + b >= 10_000 and int(result) == a + b, "the call was right"
        assert sum(x != y for x, y in zip(answer, result)) == 1


def test_the_model_answers_with_what_the_tool_said(run):
    """The control: a calculator that is off by one, and answers that follow it."""
    assert share(run["follows"]) >= 0.97


def test_every_call_is_run_and_its_result_spliced_in(run, tools):
    text = run["text"]
    call, result = tools.CALL.search(text), tools.RESULT.search(text)
    assert call["argument"] == "4817+2396"
    assert result["value"] == tools.calculator("4817+2396") == " 7213"
    assert text.index(call.group()) + len(call.group()) == result.start()


def test_the_user_sees_no_markup(tools, run):
    shown = tools.shown_to_user(run["text"], tools.question(4817, 2396))
    assert "<" not in shown and shown.strip(" .") == "7213"


def test_a_failing_call_is_reported_to_the_model_as_text(tools):
    def model(texts):
        return [" done." if "<result>" in t else "<tool>calculator: 1 / 0</tool>" for t in texts]

    [text] = tools.generate_with_tools(["Q: "], model)
    assert "<result>error:" in text and text.endswith(" done.")


def test_the_loop_stops_a_model_that_never_finishes(tools):
    def model(texts):
        return ["<tool>calculator: 1 + 1</tool>" for _ in texts]

    [text] = tools.generate_with_tools([""], model, max_pieces=5)
    assert text.count("<tool>") == 5 and text.count("<result>") == 5
