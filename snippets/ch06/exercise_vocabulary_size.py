"""Exercise: a bigger BPE vocabulary, and tokens per character in two languages.

Needs the package snippets/tinylm/ (this chapter's model and its committed
tokenizer), in the folder above. Trains tokenizers of other sizes on the same text
as the book's (640 tokens) and measures them all on the held-out documents.
"""

import sys
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import Tokenizer, corpus, load_pretrained

held_out = corpus.held_out_documents()
english = [d for d in held_out if d.isascii()]
chinese = [d for d in held_out if not d.isascii()]


def per_character(tokenizer, documents) -> float:
    n_tokens = sum(len(tokenizer.encode(d)) for d in documents)
    return n_tokens / sum(len(d) for d in documents)


tokenizers = {
    384: Tokenizer.train(corpus.pretraining_text(), 384),
    640: load_pretrained()[1],  # the book's tokenizer
    1024: Tokenizer.train(corpus.pretraining_text(), 1024),
}
print("vocabulary  English tokens/char  Chinese tokens/char")
for size, tokenizer in tokenizers.items():
    print(f"{size:>10}  {per_character(tokenizer, english):>19.3f}  "
          f"{per_character(tokenizer, chinese):>19.3f}")


def characters(piece: bytes) -> str:
    return piece.decode("utf-8", "replace")


longest = max(tokenizers[1024].pieces, key=lambda piece: len(characters(piece)))
print(f"the longest token of the 1024 vocabulary: {characters(longest)!r}")
