"""Exercise: how many guesses per pass? k = 1, 2, 4, 8 with the 3-gram prophet.

Needs speculative_decoding.py and break_even.py beside it, and the package
snippets/tinylm/ (the book's tiny model and its committed weights) in the folder above.
"""

import sys
from collections import Counter
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from break_even import tokens_per_pass
from speculative_decoding import NEW_TOKENS, NGramProphet, speculative_generate
from tinylm import corpus, load_pretrained

if __name__ == "__main__":
    model, tokenizer = load_pretrained()
    model.double()
    prophet = NGramProphet(tokenizer, corpus.training_documents())
    prompts = [p.name for p in corpus.PEOPLE[::2]]
    measured = {}
    print(f"{len(prompts)} prompts, {NEW_TOKENS} new tokens each, the 3-gram prophet:")
    for k in (1, 2, 4, 8):
        runs = [speculative_generate(model, tokenizer, p, NEW_TOKENS, prophet, k)
                for p in prompts]
        total = sum((stats for _, stats in runs), Counter())
        alpha = total["accepted"] / (total["accepted"] + total["rejections"])
        per_pass = len(prompts) * NEW_TOKENS / total["passes"]
        read = total["positions"] / (len(prompts) * NEW_TOKENS)
        measured[k] = per_pass
        print(f"  k = {k}: {per_pass:.2f} tokens per pass (formula: "
              f"{tokens_per_pass(alpha, k):.2f} at alpha = {alpha:.2f}); "
              f"reads {read:.2f} positions/token")
