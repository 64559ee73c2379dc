"""Exercise: train the theory-of-mind model on standard stories and on stories where
Sally watches the move. Does it now pass the transparent and told variants, which it
never saw? And a story with an extra sentence that changes nothing?

Needs theory_of_mind.py and score_noise.py beside it, and the package snippets/tinylm/
(chapter 6's model code), in the folder above.
"""

import random
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from score_noise import interval
from theory_of_mind import answers, belief_tracker, story, train

VARIANTS = ["standard", "watching", "transparent", "told"]


def distracted(rng: random.Random):
    """A control: one more sentence after Sally leaves that tells her nothing."""
    words, facts = story(rng, "standard")
    cut = words.index("leaves") + 2  # after "<Sally> leaves ."
    return words[:cut] + f"{facts['who']} opens a window .".split() + words[cut:], facts


if __name__ == "__main__":
    model = train(variants=("standard", "watching"), steps=150)
    rng = random.Random(1)
    results = {}
    for variant in VARIANTS + ["extra sentence, no news"]:
        if variant in VARIANTS:
            tests = [story(rng, variant) for _ in range(200)]
        else:
            tests = [distracted(rng) for _ in range(200)]
        said = answers(model, [w for w, _ in tests])
        right = torch.tensor([s == belief_tracker(f) for s, (_, f) in zip(said, tests)],
                             dtype=torch.float64)
        results[variant] = right
        low, high = interval(right)
        print(f"{variant:<24} {right.mean():5.0%}  [{low:.0%}, {high:.0%}]  (n = 200)")

    # the baseline: the model of theory_of_mind.py, trained on standard stories only,
    # on the same control stories (the last `tests` above)
    standard_only = train(variants=("standard",))
    said = answers(standard_only, [w for w, _ in tests])
    right = torch.tensor([s == belief_tracker(f) for s, (_, f) in zip(said, tests)],
                         dtype=torch.float64)
    results["no news, standard-only model"] = right
    low, high = interval(right)
    print(f"{'no news, standard-only':<24} {right.mean():5.0%}  [{low:.0%}, {high:.0%}]"
          "  (n = 200)")
