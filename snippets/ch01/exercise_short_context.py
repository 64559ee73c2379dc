"""Exercise: the same next-character model, but it sees only the last 2 characters.

Needs next_character.py (chapter 1's example) beside it.
"""

from next_character import generate, grammar, make_corpus, sample_many, train

if __name__ == "__main__":
    corpus = make_corpus()
    model, vocabulary, loss = train(corpus, context=2)
    print(f"context of 2 characters: final training loss {loss:.3f}")
    for seed in range(3):
        print(f"T = 1.0, seed {seed}:", generate(model, vocabulary, "", 1.0, seed))
    samples = sample_many(model, vocabulary, 1000)
    well_formed = sum(sample in grammar() for sample in samples) / len(samples)
    print(f"{well_formed:.1%} of {len(samples)} samples are well-formed sentences of the grammar")
