"""Chapter 1: the digit count of V^L printed on the page is exact."""

import sys

import pytest


@pytest.fixture(scope="module")
def output_space(snippet):
    return snippet("ch01/output_space.py")


def test_digit_formula_matches_exact_integer(output_space):
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # allow str() of a 77,000-digit number
    try:
        for _, vocabulary, length in output_space.SPACES.values():
            assert output_space.output_space_digits(vocabulary, length) == len(
                str(vocabulary**length)
            )
    finally:
        sys.set_int_max_str_digits(limit)


def test_one_step_is_a_tiny_choice_beside_the_whole(output_space):
    for _, vocabulary, length in output_space.SPACES.values():
        assert output_space.output_space_digits(vocabulary, length) > 50 * len(str(vocabulary))
