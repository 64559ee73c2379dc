"""Byte-pair encoding (tinylm/bpe.py): training it, and its tokens in two languages.

Needs the package snippets/tinylm/ (this chapter's model and its committed
tokenizer), in the folder above.
"""

import sys
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import Tokenizer, corpus, load_pretrained

# letters, an emoji and Chinese characters that the corpus never uses
UNSEEN = "Zoë's café serves 🍵 at 3 p.m. — 台北今天下雨。"


def shown(piece: bytes) -> str:
    """A token's bytes as text; a piece of a character shows as its bytes: \\xe4."""
    return piece.decode("utf-8", errors="backslashreplace")


# --8<-- [start:train]
def first_merges(n_merges: int = 12, n_documents: int = 200) -> list[str]:
    """Train on a little of the corpus and list what the first merges make."""
    text = "\n".join(corpus.training_documents()[:n_documents])
    tokenizer = Tokenizer.train(text, 256 + n_merges)
    return [shown(tokenizer.pieces[256 + i]) for i in range(n_merges)]
# --8<-- [end:train]


# --8<-- [start:measure]
def tokens_per_character(tokenizer, documents: list[str]) -> dict[str, float]:
    """Tokens per character, for the English and for the Chinese documents."""
    by_language = {
        "English": [d for d in documents if d.isascii()],
        "Chinese": [d for d in documents if not d.isascii()],
    }
    ratios = {}
    for language, docs in by_language.items():
        n_tokens = sum(len(tokenizer.encode(d)) for d in docs)
        ratios[language] = n_tokens / sum(len(d) for d in docs)
    return ratios
# --8<-- [end:measure]


if __name__ == "__main__":
    # --8<-- [start:main]
    merges = first_merges()
    print("the first merges, learned from 200 documents:", " | ".join(merges))

    _, tokenizer = load_pretrained()  # the book's tokenizer: 256 bytes + 384 merges
    the_same_facts = [
        "Ana lives in Lisbon. Her pet is a cat.",
        "安娜住在里斯本。她養了一隻貓。",
    ]
    for text in the_same_facts:
        ids = tokenizer.encode(text)
        print(f"{len(text)} characters -> {len(ids)} tokens:",
              "|".join(shown(tokenizer.pieces[i]) for i in ids))

    ids = tokenizer.encode(UNSEEN)
    print(f"unseen text, {len(UNSEEN)} characters -> {len(ids)} tokens, "
          f"{sum(i < 256 for i in ids)} of them single bytes; "
          f"decodes to the same text: {tokenizer.decode(ids) == UNSEEN}")

    held_out = corpus.held_out_documents()  # text the tokenizer was not trained on
    for language, ratio in tokens_per_character(tokenizer, held_out).items():
        print(f"{language}: {ratio:.3f} tokens per character on held-out documents")
    round_trips = all(tokenizer.decode(tokenizer.encode(d)) == d for d in held_out)
    print(f"all {len(held_out)} held-out documents decode to themselves: "
          f"{round_trips}")
    # --8<-- [end:main]
