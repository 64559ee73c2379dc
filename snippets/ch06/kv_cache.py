"""A key-value cache: the same tokens as without it, for far fewer operations.

Needs the package snippets/tinylm/ (this chapter's model and its committed weights),
in the folder above. Operations are counted with PyTorch's FlopCounterMode, not
timed.
"""

import sys
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import generate, load_pretrained

PROMPTS = ["Ana lives in", "Q: What pet does Omar have?\nA:", "莉娜"]
NEW_TOKENS = 32  # prompt + new tokens stay within the 48-token context


# --8<-- [start:compare]
def counted_generation(model, tokenizer, prompt: str, use_cache: bool):
    """Greedy generation: the text, and the FLOPs spent (matrix products)."""
    with FlopCounterMode(display=False) as counter:
        text = generate(model, tokenizer, prompt, NEW_TOKENS, stop=None,
                        use_cache=use_cache)
    return text, counter.get_total_flops()


def cache_size(model, tokenizer, text: str) -> int:
    """How many numbers the cache holds after reading `text`."""
    cache = model.new_cache()
    with torch.no_grad():
        model(torch.tensor([tokenizer.encode(text)]), cache=cache)
    return sum(layer["k"].numel() + layer["v"].numel() for layer in cache)
# --8<-- [end:compare]


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()

    def generated(prompt, use_cache, temperature=0.0):  # sampling is seeded
        return generate(model, tokenizer, prompt, NEW_TOKENS, temperature,
                        seed=0, stop=None, use_cache=use_cache)

    same = {}
    for temperature in (0.0, 1.0):
        same[temperature] = [
            generated(p, False, temperature) == generated(p, True, temperature)
            for p in PROMPTS
        ]
        print(f"temperature {temperature}: the same {NEW_TOKENS} tokens with and "
              f"without the cache for {sum(same[temperature])} of {len(PROMPTS)} "
              f"prompts")

    prompt = PROMPTS[0]
    text, without = counted_generation(model, tokenizer, prompt, use_cache=False)
    _, cached = counted_generation(model, tokenizer, prompt, use_cache=True)
    print(f"{prompt!r} -> {text!r}")
    print(f"FLOPs: {without:.3g} without the cache, {cached:.3g} with it, "
          f"{without / cached:.1f} times fewer")

    n_tokens = len(tokenizer.encode(prompt + text))
    n = cache_size(model, tokenizer, prompt + text)
    layers, width = model.config.n_layers, model.config.d_model
    print(f"the price: after {n_tokens} tokens the cache holds {n} numbers "
          f"({n * 4 / 1024:.1f} KiB as float32): keys and values, for "
          f"{layers} layers x {n_tokens} tokens x {width} numbers")
    # --8<-- [end:main]
