"""Chapter 7: the answer names the person asked about, while its insides show another person
drove it."""

import pytest


@pytest.fixture(scope="module")
def asking(ran):
    return ran("ch07/asking_vs_looking.py")


def test_without_a_line_every_answer_is_right(asking):
    ns = asking.namespace
    model, tokenizer, first = ns["model"], ns["tokenizer"], ns["first"]
    rows = ns["prompts"](tokenizer, "no line")
    names_y, city = ns["ask"](model, tokenizer, rows)
    assert len(rows) >= 16 and all(names_y)
    assert all(c == first(tokenizer, " " + r[1].city) for c, r in zip(city, rows))


def test_a_line_about_someone_else_misleads_and_the_name_is_the_cause(asking):
    ns = asking.namespace
    assert ns["n"] >= 60  # answers that name Y but give X's city
    assert all(r[1].name in text for r, text in zip(ns["misled"], ns["texts"]))
    # control: hiding the rest of the line does not restore the answers; hiding the name does
    assert sum(ns["by_name"]) / ns["n"] > 0.8
    assert sum(ns["by_rest"]) / ns["n"] < 0.1


def test_the_city_comes_from_memory_not_from_the_line(asking):
    row = next(line for line in asking.stdout.splitlines()
               if line.startswith("X lives in another city"))
    stated = int(row.split()[-1])
    x_city = int(row.split()[-5])
    assert stated < 5 < 20 < x_city
