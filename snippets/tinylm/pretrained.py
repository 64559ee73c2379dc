"""Saving and loading the trained model, and the fingerprint of what made it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import torch

from tinylm.bpe import Tokenizer
from tinylm.model import Config, TinyLM

WEIGHTS, TOKENIZER = "tiny_lm.pt", "tokenizer.json"
# The files whose code decides what training produces (generate.py does not).
TRAINING_SOURCES = ["bpe.py", "attention.py", "model.py", "corpus.py"]


def package() -> Path:
    """The folder of this package, where the committed files are."""
    return Path(__file__).resolve().parent


def fingerprint(settings: dict, training_script: str | Path | None) -> str:
    """A hash of the training settings and of the code that trains: the package's
    files above and the training script (if there is one: a notebook has none).
    Any change to them changes the fingerprint."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    scripts = [Path(training_script)] if training_script else []
    for path in [package() / name for name in TRAINING_SOURCES] + scripts:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")  # as on Linux
        digest.update(path.name.encode() + b"\0" + text.encode())
    return digest.hexdigest()[:16]


def save_pretrained(model, tokenizer, fingerprint: str, folder=".") -> None:
    """Write tiny_lm.pt (plain tensors, numbers and strings) and tokenizer.json."""
    weights = {
        "config": asdict(model.config),
        "state_dict": model.state_dict(),
        "fingerprint": fingerprint,
    }
    torch.save(weights, Path(folder) / WEIGHTS)
    tokenizer.save(Path(folder) / TOKENIZER)


def load_weights(folder=None) -> dict:
    # weights_only: refuse anything but tensors and plain data: no code runs
    return torch.load(Path(folder or package()) / WEIGHTS, weights_only=True)


def load_pretrained(folder=None) -> tuple[TinyLM, Tokenizer]:
    """The model committed in this package's folder (or in `folder`), in eval
    mode, and its tokenizer."""
    folder = Path(folder or package())
    weights = load_weights(folder)
    model = TinyLM(Config(**weights["config"]))
    model.load_state_dict(weights["state_dict"])
    return model.eval(), Tokenizer.load(folder / TOKENIZER)
