"""Exercise: a prophet that is always wrong. What does speculation cost then?

Needs speculative_decoding.py beside it, and the package snippets/tinylm/ (the book's tiny
model and its committed weights) in the folder above. The prophet guesses the newline
token every time, which the model almost never writes in the middle of a line.
"""

import sys
from collections import Counter
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from speculative_decoding import DRAFT, NEW_TOKENS, speculative_generate
from tinylm import corpus, generate, load_pretrained

if __name__ == "__main__":
    model, tokenizer = load_pretrained()
    model.double()
    newline = tokenizer.encode("\n")

    def wrong_prophet(ids, k):
        return newline * k  # k guesses, all "\n"

    prompts = [p.name for p in corpus.PEOPLE[::2]]
    runs = [speculative_generate(model, tokenizer, p, NEW_TOKENS, wrong_prophet)
            for p in prompts]
    own = [generate(model, tokenizer, p, NEW_TOKENS, stop=None) for p in prompts]
    total = sum((stats for _, stats in runs), Counter())
    plain_positions = sum(len(tokenizer.encode(p)) + NEW_TOKENS - 1 for p in prompts)
    print(f"{len(prompts)} prompts, {NEW_TOKENS} tokens each, {DRAFT} guesses per pass:")
    print(f"  identical to the model's own: {sum(t == o for (t, _), o in zip(runs, own))} "
          f"of {len(prompts)}")
    print(f"  guesses kept: {total['accepted']} of {total['guessed']}")
    print(f"  passes: {total['passes']} (plain decoding: {len(prompts) * NEW_TOKENS})")
    print(f"  positions the model read: {total['positions']} (plain: {plain_positions}), "
          f"{total['positions'] / plain_positions:.2f} times the work")
