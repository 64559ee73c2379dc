"""Chapter 3: tool calls are text that the application parses, runs and splices back."""

import pytest


@pytest.fixture(scope="module")
def tools(snippet):
    return snippet("ch03/tool_call.py")


@pytest.mark.parametrize(
    "expression",
    ["1234 + 500", "1734 / 5.5", "-(2 - 7) * 3", "2 ** 10 - 1", "((1))", "3.5+2"],
)
def test_the_calculator_agrees_with_python(tools, expression):
    reference = eval(expression)  # trusted input, written in this test
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


def test_every_call_is_run_and_its_result_spliced_in(ran):
    run = ran("ch03/tool_call.py").namespace
    arguments = [argument for _, argument, _ in run["log"]]
    assert arguments == ["1234 + 500", "3.5 + 2", "1734 / 5.5"]
    assert [result for _, _, result in run["log"]] == ["1734", "5.5", "315.273"]
    for _, argument, result in run["log"]:
        spliced = f"<tool>calculator: {argument}</tool><result>{result}</result>"
        assert spliced in run["text"]


def test_the_model_uses_the_numbers_it_read(ran):
    run = ran("ch03/tool_call.py").namespace
    assert run["text"].endswith(f"about {round(1734 / 5.5)} km/h.")


def test_the_user_sees_no_markup(tools, ran):
    run = ran("ch03/tool_call.py").namespace
    shown = tools.shown_to_user(run["text"], run["prompt"])
    assert "<" not in shown and "1734 km long" in shown and "Question" not in shown


def test_a_failing_call_is_reported_to_the_model_as_text(tools):
    def model(text):
        if "<result>" not in text:
            return "Dividing: <tool>calculator: 1 / 0</tool>"
        return " done."

    text, log = tools.generate_with_tools("Q: ", model)
    assert log[0][2].startswith("error:")
    assert "<result>error:" in text and text.endswith(" done.")


def test_the_loop_stops_a_model_that_never_finishes(tools):
    def model(text):
        return "<tool>calculator: 1 + 1</tool>"

    _, log = tools.generate_with_tools("", model, max_calls=5)
    assert len(log) == 5
