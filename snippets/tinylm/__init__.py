"""The book's tiny language model, built in chapter 6 and reused by later chapters.

    from tinylm import load_pretrained, generate
    model, tokenizer = load_pretrained()
    generate(model, tokenizer, "Ana lives in")
    # " Lisbon. Her favourite colour is purple."
"""

from . import corpus
from .attention import MultiHeadAttention, attention
from .bpe import Tokenizer
from .generate import generate
from .model import Block, Config, TinyLM
from .pretrained import fingerprint, load_pretrained, load_weights, save_pretrained

__all__ = [
    "Block",
    "Config",
    "MultiHeadAttention",
    "TinyLM",
    "Tokenizer",
    "attention",
    "corpus",
    "fingerprint",
    "generate",
    "load_pretrained",
    "load_weights",
    "save_pretrained",
]
