"""Chapter 6: the tiny model's figures beside GPT-2 small's and LLaMA-7B's."""

import pytest


@pytest.fixture(scope="module")
def scale(snippet):
    return snippet("ch06/from_tiny_to_real.py")


def decoder_parameters(v: int, context: int, d: int, layers: int, tied: bool) -> int:
    """A GPT-2-style decoder's parameters in closed form: embeddings of tokens and
    positions; per block two layer norms (4d), attention (4d^2 + 4d) and a 4d-wide
    feed-forward network (8d^2 + 5d); a final layer norm; an output layer unless it
    shares the token embedding."""
    per_block = 12 * d * d + 13 * d
    return v * d + context * d + layers * per_block + 2 * d + (0 if tied else v * d)


def test_the_tiny_models_figures_are_read_from_it(scale):
    tiny = scale.tiny_model()
    assert tiny["parameters"] == decoder_parameters(
        tiny["vocabulary"], tiny["context"], tiny["width (d_model)"], tiny["layers"], tied=False
    )
    settings = scale.SETTINGS
    assert tiny["training tokens"] == settings["steps"] * settings["batch"] * settings["context"]


def test_the_same_closed_form_gives_gpt2_small_about_its_reported_size(scale):
    """GPT-2 ties its output layer to the token embedding. For its configuration the
    formula counts 124M; the report says 117M: the published figures agree with each
    other within 10%, no closer."""
    g = scale.PUBLISHED["GPT-2 small"]
    counted = decoder_parameters(g["vocabulary"], g["context"], g["width (d_model)"],
                                 g["layers"], tied=True)
    assert abs(counted - g["parameters"]) / counted < 0.1


def test_numbers_are_written_as_on_the_page(scale):
    assert scale.short(120384) == "120,384"
    assert scale.short(117e6) == "117M"
    assert scale.short(6.7e9) == "6.7B"
    assert scale.short(1.0e12) == "1.0T"
    assert scale.short(None) == "not given"
