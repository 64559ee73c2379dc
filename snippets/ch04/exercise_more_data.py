"""Exercise: the same degree-9 polynomial, fitted to more and more training points.

Needs overfitting.py (this chapter's example) beside it."""

from overfitting import fit, make_data, mean_squared_error

if __name__ == "__main__":
    x_test, y_test = make_data(1000, seed=1)
    print("training points  training error  test error")
    errors = {}
    for n in [12, 25, 50, 100, 400]:
        x_train, y_train = make_data(n, seed=0)
        weights = fit(x_train, y_train, degree=9)
        errors[n] = (mean_squared_error(weights, x_train, y_train),
                     mean_squared_error(weights, x_test, y_test))
        print(f"{n:15d}  {errors[n][0]:14.3g}  {errors[n][1]:10.3g}")
