"""Chapter 11: the exercises' solutions say what the page says they say."""


def test_smaller_patches_cost_sixteen_times_for_full_attention(ran):
    costs = ran("ch11/exercise_patch_size.py").namespace["costs"]
    assert costs[8]["full"] == 16 * costs[16]["full"]  # 4 x the tokens, squared
    growth = costs[8]["factorised"] / costs[16]["factorised"]
    assert 4 < growth < 16  # spatial attention grows 16 x, temporal only 4 x


def test_a_gan_covers_every_cluster_but_unevenly(ran):
    ns = ran("ch11/exercise_gan.py").namespace
    counts = ns["counts"]
    assert (counts > 0).all()
    assert ns["share"] > 0.6
    close, k = counts.sum().item(), len(counts)
    sd = (close * (1 / k) * (1 - 1 / k)) ** 0.5
    assert (counts - close / k).abs().max() > 5 * sd  # far beyond chance: some mode starved


def test_averaging_pixels_makes_a_double_exposure(ran):
    measured = ran("ch11/exercise_pixel_average.py").namespace["measured"]
    truth, learned, averaged = (measured[k] for k in ("true frames", "trained network",
                                                      "pixel average"))
    assert averaged[0] < 0.05  # the average of the spots is in the right place ...
    assert averaged[1] < truth[1] - 0.15  # ... but it is dimmer ...
    assert averaged[2] > truth[2] + 0.3  # ... and wider
    assert learned[0] < 0.1 and abs(learned[1] - truth[1]) < 0.05
    assert abs(learned[2] - truth[2]) < 0.3
