"""Chapter 4's exercises: each solution's claim, checked."""


def test_more_data_closes_the_gap(ran):
    errors = ran("ch04/exercise_more_data.py").namespace["errors"]
    gap = {n: test - train for n, (train, test) in errors.items()}
    assert gap[12] > 100 * gap[400]
    assert errors[400][1] < 0.1  # near the noise floor of 0.0625
    assert errors[12][0] < errors[400][0]  # fewer points are easier to fit...
    assert errors[12][1] > errors[400][1]  # ...and worse to generalise from


def test_a_few_counterexamples_are_not_enough_but_ten_percent_is(ran):
    results = ran("ch04/exercise_mostly_biased.py").namespace["results"]
    assert results[1.0][0] < 0.6 and results[0.97][0] < 0.6  # still the background
    assert results[0.9][0] >= 0.95 and results[0.9][1] >= 0.95  # the shape


def test_the_threshold_trades_missed_copies_for_lost_pages(ran):
    left = ran("ch04/exercise_dedup_threshold.py").namespace["left"]
    assert left[0.5]["near duplicate"] == 0 and left[0.5]["good"] == 200
    assert left[0.9]["near duplicate"] == 15 and left[0.9]["good"] == 200  # copies slip through
    assert left[0.1]["good"] < 200  # different pages judged copies: good pages lost


def test_rank_one_is_enough_for_the_format_not_for_all_the_knowledge(ran):
    trainable, seen, unseen = ran("ch04/exercise_lora_rank.py").namespace["results"][1]
    rank_four = ran("ch04/lora.py").namespace
    assert 4 * trainable == rank_four["trainable"]
    assert seen >= 0.9  # the answer format, for nearly every question in the instructions
    held_out_rank_four = rank_four["accuracy"](
        rank_four["model"], rank_four["tokenizer"], rank_four["corpus"].HELD_OUT_PEOPLE)
    assert 0.3 <= unseen < held_out_rank_four
