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
    assert results[0.97][0] < 0.6 and results[0.97][1] < 0.05  # still the background
    assert results[0.9][0] >= 0.95 and results[0.9][1] >= 0.95  # the shape


def test_the_threshold_trades_missed_copies_for_lost_pages(ran):
    left = ran("ch04/exercise_dedup_threshold.py").namespace["left"]
    assert left[0.5]["near duplicate"] == 0 and left[0.5]["good"] == 200
    assert left[0.9]["near duplicate"] == 15 and left[0.9]["good"] == 200  # copies slip through
    assert left[0.1]["good"] < 200  # different pages judged copies: good pages lost


def test_ppo_clip_matches_its_closed_form(ran):
    """The objective is min(r A, clip(r, 0.8, 1.2) A); its slope in log pi is r A where the
    unclipped term is the smaller, and 0 where the clip holds it."""
    lines = ran("ch04/exercise_ppo_clip.py").stdout.splitlines()[1:11]
    for line in lines:
        ratio, advantage, objective, slope = (float(x) for x in line.split())
        clipped = min(max(ratio, 0.8), 1.2)
        assert objective == round(min(ratio * advantage, clipped * advantage), 2)
        unclipped_is_smaller = ratio * advantage <= clipped * advantage
        assert slope == round(ratio * advantage if unclipped_is_smaller else 0.0, 2)


def test_ppo_clip_starts_with_the_policy_gradient(ran):
    namespace = ran("ch04/exercise_ppo_clip.py").namespace
    ppo, reinforce = namespace["gradients"]["PPO-clip"], namespace["gradients"]["REINFORCE"]
    assert 0 < namespace["liked"].sum() < len(namespace["liked"])  # some signal to follow
    assert reinforce.abs().max() > 0
    assert (ppo - reinforce).abs().max() <= 1e-12 * reinforce.abs().max()
