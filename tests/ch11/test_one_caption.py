"""Chapter 11: a regression model answers with the mean of the two pictures a caption
fits; the diffusion model draws both."""


def test_regression_answers_the_mean_and_diffusion_draws_both(ran):
    run = ran("ch11/one_caption_many_pictures.py")
    ns = run.namespace
    modes, regressor, torch = ns["MODES"], ns["regressor"], ns["torch"]
    for c in range(2):
        with torch.no_grad():
            answer = regressor(torch.tensor([c]))[0]
        mean = modes[c].mean(0)
        assert (answer - mean).norm() < 0.1  # the mean of the two modes
        assert torch.cdist(answer[None], modes[c]).min() > 1.3  # and far from both
        left, right, neither = ns["results"][c]
        n = left + right + neither
        assert n == 1000
        assert neither < 0.05 * n
        # both modes, in about equal shares: within 3 standard errors of a fair coin
        assert abs(left / (left + right) - 0.5) < 3 * (0.25 / (left + right)) ** 0.5
