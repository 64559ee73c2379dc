"""Saving and loading the trained model, and the fingerprint that says what made it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import torch

from .bpe import Tokenizer
from .model import Config, TinyLM

HERE = Path(__file__).resolve().parent
WEIGHTS, TOKENIZER = "tiny_lm.pt", "tokenizer.json"
# The files whose code decides what training produces (generate.py, for one, does not).
TRAINING_SOURCES = ["bpe.py", "attention.py", "model.py", "corpus.py"]


def fingerprint(settings: dict, training_script: str | Path) -> str:
    """A hash of the training settings and of the code that trains: the package's files
    above and the training script. Any change to them changes the fingerprint."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in [HERE / name for name in TRAINING_SOURCES] + [Path(training_script)]:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")  # same on Windows
        digest.update(path.name.encode() + b"\0" + text.encode())
    return digest.hexdigest()[:16]


def save_pretrained(model: TinyLM, tokenizer: Tokenizer, fingerprint: str, folder=".") -> None:
    """Write tiny_lm.pt (plain tensors, numbers and strings) and tokenizer.json."""
    weights = {
        "config": asdict(model.config),
        "state_dict": model.state_dict(),
        "fingerprint": fingerprint,
    }
    torch.save(weights, Path(folder) / WEIGHTS)
    tokenizer.save(Path(folder) / TOKENIZER)


def load_weights(folder=HERE) -> dict:
    # weights_only: refuse anything but tensors and plain data, so no code runs on loading
    return torch.load(Path(folder) / WEIGHTS, weights_only=True)


def load_pretrained(folder=HERE) -> tuple[TinyLM, Tokenizer]:
    """The committed model (in eval mode) and its tokenizer."""
    weights = load_weights(folder)
    model = TinyLM(Config(**weights["config"]))
    model.load_state_dict(weights["state_dict"])
    return model.eval(), Tokenizer.load(Path(folder) / TOKENIZER)
