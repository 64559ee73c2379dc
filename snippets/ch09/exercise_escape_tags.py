"""Exercise: close the hole the tag-escaping attack found. Escape the tags in the
student's answer before pasting it in, and measure the four attacks again.

Needs prompt_injection.py (this chapter's example) beside it, and the package
snippets/tinylm/ (chapter 6)."""

import prompt_injection
from prompt_injection import ATTACKS, grade


# --8<-- [start:solution]
def escape(answer: str) -> str:
    """Make the student's text unable to open or close the data tags."""
    return answer.replace("<", "&lt;").replace(">", "&gt;")


def grade_escaped(answer: str) -> str | None:
    return grade(escape(answer), delimit=True, hierarchy=True, validate=True)
# --8<-- [end:solution]


if __name__ == "__main__":
    people, attributes = prompt_injection.corpus.PEOPLE, prompt_injection.corpus.ATTRIBUTES
    right = [prompt_injection.corpus.fact(p, a) for p in people for a in attributes]
    wrong = [r.replace(".", "x.") for r in right]  # a broken value: never a true fact
    kept = sum(grade_escaped(a) == "10" for a in right)
    print(f"true answers still graded 10: {kept}/{len(right)}")
    wins_by_attack = {}
    for name, attack in ATTACKS.items():
        grades = [grade_escaped(f"{w} {attack}") for w in wrong]
        wins_by_attack[name] = sum(g is not None and g != "0" for g in grades)
        print(f"{name:<14} attack succeeds {wins_by_attack[name]}/{len(wrong)}")
