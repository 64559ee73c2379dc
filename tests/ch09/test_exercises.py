"""Chapter 9: the exercises' solutions say what the page says they say."""


def test_a_smaller_green_list_is_easier_to_detect(ran):
    results = ran("ch09/exercise_green_list_size.py").namespace["results"]
    assert results[0.25][0] > results[0.5][0] + 1
    assert results[0.25][1] > 0.8 > results[0.5][1]
    assert abs(results[0.25][2] - results[0.5][2]) < 0.15


def test_without_the_group_the_proxy_carries_the_bias(ran):
    ns = ran("ch09/exercise_unawareness.py").namespace
    assert min(ns["gaps"]) > 0.04
    assert max(ns["weights"]) < -1


def test_the_sandwich_stops_the_hidden_question(ran):
    ns = ran("ch09/exercise_sandwich.py").namespace
    results, wilson, n = ns["results"], ns["wilson"], ns["n"]
    _, pasted = results["note pasted in"]
    app, sandwiched = results["sandwich"]
    assert wilson(sandwiched, n)[1] < wilson(pasted, n)[0]  # intervals apart
    # but fewer right answers than with no note at all
    assert wilson(app, n)[1] < wilson(results["no note"][0], n)[0]
