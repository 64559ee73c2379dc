"""Chapter 6: the exercises' solutions say what the page says they say."""


def test_attention_alone_is_blind_to_order(ran):
    results = ran("ch06/exercise_order_blind.py").namespace["results"]
    assert results["tokens only, no mask"] < 1e-5
    assert results["tokens + positions, no mask"] > 0.01
    assert results["tokens only, causal mask"] > 0.01


def test_attention_outgrows_the_rest_at_six_times_d_model(ran):
    crossover = ran("ch06/exercise_crossover_length.py").namespace["crossover"]
    for d_model in (48, 96, 192, 768, 4096):
        assert crossover(d_model) == 6 * d_model


def test_a_bigger_vocabulary_needs_fewer_tokens_chinese_most(ran):
    ns = ran("ch06/exercise_vocabulary_size.py").namespace
    per_character, english, chinese = ns["per_character"], ns["english"], ns["chinese"]
    ratios = {size: (per_character(t, english), per_character(t, chinese))
              for size, t in ns["tokenizers"].items()}
    sizes = sorted(ratios)
    for small, big in zip(sizes, sizes[1:]):
        assert ratios[big][0] < ratios[small][0]
        assert ratios[big][1] < ratios[small][1]
    assert ratios[384][1] > 2 * ratios[384][0]  # small vocabulary: Chinese costs far more
    assert ratios[1024][1] < ratios[1024][0]  # big one: Chinese phrases became tokens
    assert len(ns["longest"].decode("utf-8")) >= 8
