"""Chapter 9: the labelled toy grader falls to injection; each defence stops only
what the page says it stops."""


def test_the_grader_grades_honestly_without_an_attack(ran):
    ns = ran("ch09/prompt_injection.py").namespace
    grade = ns["grade"]
    assert all(grade(a) == "10" for a in ns["right"])
    assert all(grade(a) == "0" for a in ns["wrong"])


def test_each_defence_against_each_attack(ran):
    ns = ran("ch09/prompt_injection.py").namespace
    n, success = len(ns["wrong"]), ns["success"]
    assert n == 96
    assert success["none"] == [n, n, n, n]
    assert success["delimiting"] == [n, n, n, n]  # a request to the model, not a barrier
    assert success["instruction hierarchy"] == [0, 0, 0, n]  # until the tags are escaped
    assert success["output validation"] == [n, n, 0, n]  # stops only malformed grades
