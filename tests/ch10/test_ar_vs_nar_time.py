"""Chapter 10: the same work, done in one step or in forty."""

import pytest


def test_same_operations_many_more_steps(ran):
    ns = ran("ch10/ar_vs_nar_time.py").namespace
    assert ns["ar_flops"] / ns["nar_flops"] == pytest.approx(1.0, abs=0.15)
    assert ns["ratio"] > 5  # yet forty dependent steps take far longer than one


def test_worked_figures():
    assert 1024 * 1024 == 1_048_576  # "about a million" steps for an image
    assert 60 * 22_050 == 1_323_000  # 1.32 million samples in a minute of 22.05 kHz audio
