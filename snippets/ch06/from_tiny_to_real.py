"""From tiny to real: the book's tiny model beside GPT-2 small and LLaMA-7B.

Needs the package snippets/tinylm/ (this chapter's model and its committed weights),
in the folder above, and train_tiny_lm.py beside this file (its training settings).
The tiny model's figures are read from the model and its settings; the others are
the published ones, cited on the page.
"""

import sys
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import load_pretrained
from train_tiny_lm import SETTINGS

# Published figures. GPT-2 small: Radford et al. (2019), Table 2 and section 2.3; its
# 12 heads are GPT-1's (Radford et al., 2018), which GPT-2 follows; the report gives
# the size of its training text (40 GB), not a count of tokens. LLaMA-7B: Touvron et
# al. (2023a, arXiv 2302.13971), Table 2; its context and vocabulary: Touvron et al.
# (2023b, arXiv 2307.09288), Table 1 and section 2.2.
PUBLISHED = {
    "GPT-2 small": {"layers": 12, "width (d_model)": 768, "heads": 12, "context": 1024,
                    "vocabulary": 50_257, "parameters": 117e6, "training tokens": None},
    "LLaMA-7B": {"layers": 32, "width (d_model)": 4096, "heads": 32, "context": 2048,
                 "vocabulary": 32_000, "parameters": 6.7e9, "training tokens": 1.0e12},
}


def tiny_model() -> dict:
    """The tiny model's figures, read from the committed model and its settings."""
    model, tokenizer = load_pretrained()
    config = model.config
    return {
        "layers": config.n_layers, "width (d_model)": config.d_model, "heads": config.n_heads,
        "context": config.context, "vocabulary": tokenizer.vocab_size,
        "parameters": sum(p.numel() for p in model.parameters()),
        # every step reads `batch` windows of `context` tokens
        "training tokens": SETTINGS["steps"] * SETTINGS["batch"] * SETTINGS["context"],
    }


def short(n) -> str:
    """1234 -> '1,234'; 117e6 -> '117M'; 6.7e9 -> '6.7B'; None -> 'not given'."""
    if n is None:
        return "not given"
    for size, unit, decimals in ((1e12, "T", 1), (1e9, "B", 1), (1e6, "M", 0)):
        if n >= size:
            return f"{n / size:.{decimals}f}{unit}"
    return f"{n:,}"


if __name__ == "__main__":
    # --8<-- [start:main]
    models = {"tiny model": tiny_model(), **PUBLISHED}
    print(f"{'':<16}" + "".join(f"{name:>14}" for name in models))
    for figure in models["tiny model"]:
        print(f"{figure:<16}" + "".join(f"{short(m[figure]):>14}" for m in models.values()))
    tiny, llama = models["tiny model"], models["LLaMA-7B"]
    for figure in ("width (d_model)", "parameters", "training tokens"):
        print(f"LLaMA-7B / tiny model, {figure}: {llama[figure] / tiny[figure]:,.0f}")
    # --8<-- [end:main]
