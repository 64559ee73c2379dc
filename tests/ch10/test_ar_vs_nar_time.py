"""Chapter 10: the same work, done in one step or in forty."""

import pytest


def test_same_operations_many_more_steps(ran):
    ns = ran("ch10/ar_vs_nar_time.py").namespace
    assert ns["ar_flops"] / ns["nar_flops"] == pytest.approx(1.0, abs=0.15)
    assert ns["ratio"] > 5  # yet forty dependent steps take far longer than one

