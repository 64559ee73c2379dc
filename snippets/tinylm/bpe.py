"""Byte-level byte-pair encoding (BPE), from scratch.

Text is first turned into UTF-8 bytes, so the 256 byte values are the first 256
tokens and any text at all can be encoded. Training then repeats one step: find the
pair of neighbouring tokens that occurs most often and make it a new token.
Encoding applies the learned merges in the order they were learned; decoding joins
the tokens' bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

# Text is cut into chunks first, and merges never cross a chunk's edge: a word with
# the space before it, a run of digits, a run of Chinese characters, other symbols,
# or spaces.
CHUNK = re.compile(
    r" ?[A-Za-z]+|'[a-z]+| ?[0-9]+|[\u4e00-\u9fff]+"
    r"| ?[^\sA-Za-z0-9\u4e00-\u9fff]+|\s+"
)


def merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace every occurrence of `pair` in `ids` by `new_id`."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


class Tokenizer:
    def __init__(self, merges: list[tuple[int, int]]):
        self.merges = [tuple(pair) for pair in merges]  # merge i: token 256 + i
        self.rank = {pair: i for i, pair in enumerate(self.merges)}
        self.pieces = [bytes([b]) for b in range(256)]  # each token's bytes
        for a, b in self.merges:
            self.pieces.append(self.pieces[a] + self.pieces[b])
        self._cache: dict[str, list[int]] = {}

    @property
    def vocab_size(self) -> int:
        return len(self.pieces)

    @classmethod
    def train(cls, text: str, vocab_size: int) -> Tokenizer:
        """Learn vocab_size - 256 merges from `text`."""
        # Each distinct chunk once, with its count: the text is repetitive.
        chunks = Counter(CHUNK.findall(text))
        words = [list(chunk.encode("utf-8")) for chunk in chunks]
        counts = list(chunks.values())
        merges = []
        for new_id in range(256, vocab_size):
            pairs = Counter()
            for ids, count in zip(words, counts):
                for pair in zip(ids, ids[1:]):
                    pairs[pair] += count
            if not pairs:
                break  # every chunk is a single token already
            best = max(pairs, key=lambda pair: (pairs[pair], -pair[0], -pair[1]))
            words = [merge(w, best, new_id) if best[0] in w else w for w in words]
            merges.append(best)
        return cls(merges)

    def _encode_chunk(self, chunk: str) -> list[int]:
        ids = list(chunk.encode("utf-8"))
        while len(ids) > 1:
            # the pair learned earliest is merged first, as in training
            never = len(self.rank)
            pair = min(zip(ids, ids[1:]), key=lambda p: self.rank.get(p, never))
            if pair not in self.rank:
                break
            ids = merge(ids, pair, 256 + self.rank[pair])
        return ids

    def encode(self, text: str) -> list[int]:
        ids = []
        for chunk in CHUNK.findall(text):
            if chunk not in self._cache:
                self._cache[chunk] = self._encode_chunk(chunk)
            ids += self._cache[chunk]
        return ids

    def decode(self, ids: list[int]) -> str:
        # a token may hold part of a character; "replace" shows a cut one as �
        data = b"".join(self.pieces[i] for i in ids)
        return data.decode("utf-8", errors="replace")

    def save(self, path: str | Path) -> None:
        text = json.dumps({"merges": self.merges}) + "\n"
        Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Tokenizer:
        return cls(json.loads(Path(path).read_text(encoding="utf-8"))["merges"])
