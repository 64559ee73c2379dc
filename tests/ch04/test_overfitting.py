"""Chapter 4: training error falls with capacity while test error turns back up."""

import numpy as np
import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/overfitting.py").namespace


def test_training_error_never_rises_with_capacity(run):
    """Each degree's polynomials include the previous degree's, so the best fit can only improve."""
    train = [run["errors"][d][0] for d in run["degrees"]]
    assert all(later <= earlier + 1e-9 for earlier, later in zip(train, train[1:]))
    assert train[-1] < 1e-12  # 12 parameters, 12 points: the curve passes through all of them


def test_the_gap_opens_at_high_capacity(run):
    errors, best = run["errors"], run["best"]
    assert 3 <= best <= 7
    assert errors[11][1] > 100 * errors[best][1]
    gap = {d: test - train for d, (train, test) in errors.items()}
    assert gap[11] > 1000 * gap[best]
    assert errors[0][0] > 5 * errors[best][0]  # too little capacity fits the training data badly


def test_fit_matches_numpy_polyfit(snippet):
    overfitting = snippet("ch04/overfitting.py")
    x, y = overfitting.make_data(12, seed=0)
    grid = torch.linspace(0, 1, 50, dtype=torch.float64)
    for degree in range(7):
        ours = (overfitting.features(grid, degree) @ overfitting.fit(x, y, degree)).squeeze(1)
        reference = np.polynomial.Polynomial.fit(x.numpy(), y.numpy(), degree)(grid.numpy())
        np.testing.assert_allclose(ours.numpy(), reference, atol=1e-7)
