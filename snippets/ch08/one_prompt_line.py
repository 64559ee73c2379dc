"""One prompt line changes a score: the tiny model's score on questions about the
people it only read about rises from nothing when the answer's first words are
written for it, and falls when the question is worded differently.
The model and the questions stay the same.

Needs score_noise.py beside it (the chapter's interval rule) and the package
snippets/tinylm/ (chapter 6's model and its committed weights), in the folder above.
"""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from score_noise import difference, interval
from tinylm import corpus, generate, load_pretrained
from tinylm.evaluate import completes

VARIANTS = ["as trained", "answer's first word given", "answer's opening words given",
            "question reworded"]
REWORDED = {"city": "Which city is {n}'s home?", "job": "What is {n}'s job?",
            "pet": "Which pet does {n} have?", "colour": "Which colour does {n} like?"}


# --8<-- [start:variants]
def prompt_and_answer(person, attribute, variant: str) -> tuple[str, str]:
    """The prompt and the exact text a right answer continues it with."""
    answer = corpus.answer(person, attribute) + "\n"  # " Zane works as a painter.\n"
    if variant == "as trained":
        return corpus.question(person, attribute), answer
    if variant == "answer's first word given":  # the prompt ends "A: Zane"
        return (corpus.question(person, attribute) + " " + person.name,
                answer.removeprefix(" " + person.name))
    if variant == "answer's opening words given":  # the prompt ends "A: Zane works as a"
        start, value = corpus.fact_prompt(person, attribute)
        return corpus.question(person, attribute) + " " + start, answer[answer.index(
            " " + value):]
    if variant == "question reworded":
        return f"Q: {REWORDED[attribute].format(n=person.name)}\nA:", answer
    raise ValueError(variant)


def scores(model, tokenizer, people, variant: str) -> torch.Tensor:
    """1 where greedy decoding writes exactly the right answer: [len(people) * 4]."""
    pairs = [prompt_and_answer(p, a, variant) for p in people for a in corpus.ATTRIBUTES]
    prompts, answers = zip(*pairs)
    return torch.tensor(completes(model, tokenizer, list(prompts), list(answers)),
                        dtype=torch.float64)
# --8<-- [end:variants]


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    zane = corpus.person("Zane")
    for variant in VARIANTS:
        prompt, _ = prompt_and_answer(zane, "job", variant)
        print(f"{variant}: {prompt!r} -> {generate(model, tokenizer, prompt)!r}")

    groups = {"asked in training": corpus.QA_PEOPLE,
              "only read about": corpus.HELD_OUT_PEOPLE}
    print(f"{'':30}" + "".join(f"{g + f' (n = {len(p) * 4})':>27}"
                               for g, p in groups.items()))
    results = {}
    for variant in VARIANTS:
        cells = []
        for group, people in groups.items():
            s = results[variant, group] = scores(model, tokenizer, people, variant)
            low, high = interval(s)
            cells.append(f"{s.mean():.0%} [{low:.0%}, {high:.0%}]")
        print(f"{variant:<30}" + "".join(f"{c:>27}" for c in cells))
    gain = (results["answer's first word given", "only read about"]
            - results["as trained", "only read about"])
    low, high = difference(results["answer's first word given", "only read about"],
                           results["as trained", "only read about"])
    print(f"the first word, for the people only read about: {gain.mean():+.0%} "
          f"[{low:+.0%}, {high:+.0%}]")
    # --8<-- [end:main]
