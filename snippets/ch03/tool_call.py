"""A model that learned to call a calculator, Toolformer in miniature: it writes the call
as text, the application runs it and splices in the result, and the model reads the
result as it goes on writing. Needs window_model.py beside it."""

import ast
import operator
import random
import re
import sys
from pathlib import Path

if "__file__" in globals():  # run as a file: window_model.py is beside it
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from window_model import WindowModel, accuracy, train, write

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

    return value(ast.parse(expression.strip(), mode="eval").body)


def calculator(expression: str) -> str:
    """The tool: the result as text, right-aligned in five characters."""
    return f"{calculate(expression):>5g}"
# --8<-- [end:calculator]


# --8<-- [start:texts]
DIGITS = 4  # the problems add two numbers of 1 to 4 digits
TOKENS = [" ", *"0123456789", "+", "=", ".", "<tool>calculator: ", "</tool>",
          "<result>", "</result>"]  # markup tags are single tokens
TOKEN = re.compile("|".join(re.escape(token) for token in TOKENS[-4:]) + "|.")


def tokenize(text: str) -> list[str]:
    """Text to tokens; a character the model does not know reads as a blank."""
    return [token if token in TOKENS else " " for token in TOKEN.findall(text)]


def question(a: int, b: int) -> str:
    return f"{a:>4}+{b:>4}="  # '  37+ 485=': every digit in a fixed column


def training_text(a: int, b: int, with_tool: bool) -> list[tuple[str, bool]]:
    """A training text as (token, learn) pairs. The model learns to write the call, and
    the answer after the result; the result itself is the calculator's to write."""
    pieces = [(question(a, b), False)]
    if with_tool:
        pieces += [(f"<tool>calculator: {a:>4}+{b:>4}</tool>", True),
                   (f"<result>{calculator(f'{a}+{b}')}</result>", False)]
    pieces += [(f"{a + b:>5}.", True)]
    return [(token, learn) for piece, learn in pieces for token in tokenize(piece)]
# --8<-- [end:texts]


# --8<-- [start:loop]
CALL = re.compile(r"<tool>(?P<name>\w+): (?P<argument>.*?)</tool>")
RESULT = re.compile(r"<result>(?P<value>.*?)</result>")
TOOLS = {"calculator": calculator}


def writer(model):
    """The model as the application sees it: given texts, it writes the next piece of
    each, stopping after a tool call or a full stop."""

    def write_pieces(texts: list[str]) -> list[str]:
        pieces = write(model, [tokenize(t) for t in texts], {"</tool>", "."}, most=16)
        return ["".join(piece) for piece in pieces]

    return write_pieces


def generate_with_tools(prompts: list[str], model, tools=TOOLS, max_pieces: int = 4):
    """The application's loop, for a batch of prompts: let the model write; where a
    piece ends in a tool call, run the tool, append its result, and let the model go on.
    A model that keeps calling is stopped after max_pieces pieces."""
    texts, going = list(prompts), list(range(len(prompts)))  # going: still writing
    for _ in range(max_pieces):
        if not going:
            break
        pieces = model([texts[i] for i in going])
        calling = []
        for i, piece in zip(going, pieces):
            texts[i] += piece
            call = CALL.search(piece)
            if call is None:  # no call: this answer is finished
                continue
            try:
                result = tools[call["name"]](call["argument"])
            except (KeyError, ValueError, SyntaxError, ZeroDivisionError) as problem:
                result = f"error: {problem}"  # the model reads the error, too
            texts[i] += f"<result>{result}</result>"
            calling.append(i)
        going = calling
    return texts


def shown_to_user(text: str, prompt: str) -> str:
    """What the user sees: the model's answer, with the calls and results hidden."""
    return RESULT.sub("", CALL.sub("", text.removeprefix(prompt)))
# --8<-- [end:loop]


def problem(size: int, rng: random.Random) -> tuple[int, int]:
    """Two random numbers of `size` digits (one digit: 0 to 9)."""
    low = 10 ** (size - 1) if size > 1 else 0
    return rng.randrange(low, 10**size), rng.randrange(low, 10**size)


def answered(texts: list[str], prompts: list[str]) -> list[str]:
    """The number each model wrote, as the user sees it."""
    return [shown_to_user(t, p).strip(" .") for t, p in zip(texts, prompts)]


if __name__ == "__main__":
    # --8<-- [start:main]
    rng = random.Random(0)
    training = [problem(rng.randint(1, DIGITS), rng) for _ in range(2000)]
    tests = {}
    for size in range(1, DIGITS + 1):  # up to 200 different problems of each size
        distinct = set()
        while len(distinct) < min(200, 10 ** (2 * size)):
            distinct.add(problem(size, rng))
        tests[size] = sorted(distinct)
    models = {}  # the model without the tool gets three times the training: a head start
    for with_tool, steps, batch in [(False, 240, 256), (True, 150, 128)]:
        texts = [training_text(a, b, with_tool) for a, b in training]
        models[with_tool] = train(WindowModel(TOKENS, window=14), texts, steps, batch)

    a, b = 4817, 2396
    print("without the tool:", question(a, b) + writer(models[False])([question(a, b)])[0])
    text = generate_with_tools([question(a, b)], writer(models[True]))[0]
    print("with the tool:   ", text)
    print("the user sees:   ", question(a, b) + shown_to_user(text, question(a, b)))

    print("\naccuracy on test problems (95% intervals):")
    print("digits    n  in training   without the tool    with the tool")
    seen, right = set(training), {}  # right[with_tool][size]: which problems it got right
    for with_tool, model in models.items():
        right[with_tool] = {}
        for size, pairs in tests.items():
            prompts = [question(a, b) for a, b in pairs]
            answers = answered(generate_with_tools(prompts, writer(model)), prompts)
            right[with_tool][size] = [x == str(a + b) for x, (a, b) in zip(answers, pairs)]
    for size, pairs in tests.items():
        share_seen = sum(pair in seen for pair in pairs) / len(pairs)
        print(f"{size:6} {len(pairs):4} {share_seen:11.0%}   "
              f"{accuracy(right[False][size]):17}   {accuracy(right[True][size])}")

    mistakes = [pair for size in tests for pair, ok in zip(tests[size], right[True][size])
                if not ok]
    print("the mistakes with the tool:")
    for written in generate_with_tools([question(a, b) for a, b in mistakes], writer(models[True])):
        print("   ", written)

    # a control: does the model read the result, or work the sum out itself?
    def lying_calculator(expression):
        return f"{calculate(expression) + 1:>5g}"

    pairs = [pair for size in tests for pair in tests[size]]
    prompts = [question(a, b) for a, b in pairs]
    texts = generate_with_tools(prompts, writer(models[True]), {"calculator": lying_calculator})
    follows = [x == str(a + b + 1) for x, (a, b) in zip(answered(texts, prompts), pairs)]
    print(f"\nwith a calculator that adds 1 to every result, the answers that follow it: "
          f"{sum(follows)} of {len(follows)}, {accuracy(follows)}")

    print("\nthe calculator refuses what is not arithmetic:")
    for attempt in ["2 ** 0.5", "__import__('os')", "9 ** 9 ** 9"]:
        try:
            print(f"    {attempt!r} -> {calculate(attempt):.6g}")
        except ValueError as problem:
            print(f"    {attempt!r} -> refused ({problem})")
    # --8<-- [end:main]
