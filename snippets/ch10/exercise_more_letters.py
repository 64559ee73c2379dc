"""Exercise: more ways to agree. Data that is "AA", "BB", "CC" or "DD"...

Needs nar_conflict.py beside it. The same network and decoders as there, trained on
sequences of length 2 made of one of K letters repeated: how often does generating both
positions at once mix letters, for K = 3 and 6?
"""

from nar_conflict import autoregressive, generate, interval, mixed, non_autoregressive, train

N_SAMPLES = 4000

if __name__ == "__main__":
    rates = {}
    for letters in (3, 6):
        model = train(length=2, letters=letters)
        nar = mixed(generate(model, N_SAMPLES, non_autoregressive(2)))
        ar = mixed(generate(model, N_SAMPLES, autoregressive(2)))
        low, high = interval(nar, N_SAMPLES)
        rates[letters] = nar / N_SAMPLES
        print(f"K = {letters}: NAR mixes {nar / N_SAMPLES:.1%} (95% CI {low:.1%} to "
              f"{high:.1%}; 1 - 1/K = {1 - 1 / letters:.1%}); AR {ar} of {N_SAMPLES}")
