"""Chapter 8: the exercises' solutions say what the page says they say."""


def test_four_rotations_do_most_of_the_work(ran):
    results = ran("ch08/exercise_cyclic_orderings.py").namespace["results"]
    listed = results["listed"]
    one = listed["one ordering (mean of 24)"].mean()
    four = listed["average of 4 rotations"].mean()
    all_24 = listed["average of all 24"].mean()
    assert one <= four <= all_24
    lettered = results["lettered"]
    assert lettered["average of all 24"].mean() < 0.3  # averaging cannot create knowledge


def test_training_on_one_alteration_does_not_teach_the_others(ran):
    results = ran("ch08/exercise_theory_of_mind_training.py").namespace["results"]
    assert results["watching"].mean() > 0.5  # the alteration it was trained on
    assert results["transparent"].mean() < 0.5 and results["told"].mean() < 0.5
    assert results["extra sentence, no news"].mean() < results["standard"].mean()
    # and below the standard-only model on the same control stories, beyond the noise
    ns = ran("ch08/exercise_theory_of_mind_training.py").namespace
    low, _ = ns["interval"](results["no news, standard-only model"]
                      - results["extra sentence, no news"])
    assert low > 0
