"""A tool call is text: the model writes it, the application runs it and splices in the
result, and the model reads the result as it goes on writing."""

import ast
import operator
import re
import textwrap

# --8<-- [start:calculator]
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
}


def calculate(expression: str) -> float:
    """A calculator that reads arithmetic and nothing else: numbers, + - * / ** and
    brackets. Python's parser reads the text; only the nodes above are evaluated."""

    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 100:
                raise ValueError("exponent too large")
            return OPERATORS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](value(node.operand))
        raise ValueError(f"not arithmetic: {ast.unparse(node)}")

    return value(ast.parse(expression, mode="eval").body)
# --8<-- [end:calculator]


# --8<-- [start:model]
CALL = re.compile(r"<tool>(?P<name>\w+): (?P<argument>.*?)</tool>")
RESULT = re.compile(r"<result>(?P<value>.*?)</result>")


def toy_model(text: str) -> str:
    """A stand-in for a language model, written by hand. Given the text so far it writes
    the next piece, stopping after a tool call. It cannot do arithmetic: every number it
    uses after a call is one it reads in the text."""
    results = RESULT.findall(text)  # the results the application has spliced in so far
    if len(results) == 0:
        return "The whole trip is <tool>calculator: 1234 + 500</tool>"
    if len(results) == 1:
        return " km long and takes <tool>calculator: 3.5 + 2</tool>"
    if len(results) == 2:
        distance, hours = results
        call = f"<tool>calculator: {distance} / {hours}</tool>"
        return f" hours, so the average speed is {call}"
    return f" km/h, or about {float(results[2]):.0f} km/h."
# --8<-- [end:model]


# --8<-- [start:loop]
TOOLS = {"calculator": calculate}


def generate_with_tools(prompt: str, model, tools=TOOLS, max_calls: int = 5):
    """The application's loop: let the model write; when a piece ends in a tool call,
    run the tool and append its result to the text; let the model go on."""
    text, log = prompt, []
    for _ in range(max_calls):
        piece = model(text)
        text += piece
        call = CALL.search(piece)
        if call is None:  # no call: the answer is finished
            return text, log
        try:
            result = tools[call["name"]](call["argument"])
            result = f"{result:.6g}"
        except (KeyError, ValueError, SyntaxError, ZeroDivisionError) as problem:
            result = f"error: {problem}"  # the model reads the error, too
        text += f"<result>{result}</result>"
        log.append((call["name"], call["argument"], result))
    return text, log  # too many calls: the application stops the model


def shown_to_user(text: str, prompt: str) -> str:
    """What the user sees: the answer, with the calls hidden and the results kept."""
    answer = CALL.sub("", text.removeprefix(prompt))
    return RESULT.sub(lambda match: match["value"], answer)
# --8<-- [end:loop]


if __name__ == "__main__":
    # --8<-- [start:main]
    prompt = (
        "Question: a train travels 1234 km in 3.5 hours, then 500 km in 2 hours. "
        "What is its average speed?\nAnswer: "
    )
    text, log = generate_with_tools(prompt, toy_model)
    for number, (name, argument, result) in enumerate(log, start=1):
        print(f"call {number}: {name}({argument}) -> {result}")
    print("\nthe whole text, as the model read it:")
    print("\n".join(textwrap.fill(line, 88) for line in text.split("\n")))
    print("\nwhat the user sees:")
    print(textwrap.fill(shown_to_user(text, prompt), 88))

    print("\nthe calculator refuses what is not arithmetic:")
    for attempt in ["2 ** 0.5", "__import__('os')", "9 ** 9 ** 9"]:
        try:
            print(f"    {attempt!r} -> {calculate(attempt):.6g}")
        except ValueError as problem:
            print(f"    {attempt!r} -> refused ({problem})")
    # --8<-- [end:main]
