"""Chapter 6: byte-pair encoding from scratch (snippets/tinylm/bpe.py)."""

import random
from collections import Counter

import pytest

from tinylm import Tokenizer, corpus, load_pretrained
from tinylm.bpe import CHUNK

ALPHABETS = [
    "abcxyzABCXYZ0123456789 .,;:'\"!?-\n\t",
    "éüßøñçÅ",  # letters outside ASCII
    "的一是不了人我在有他這個們中來上",  # Chinese, mostly never in the corpus
    "ひらがなカタカナ한국어Кириллица",
    "🍵🙂👩‍🔬\u200b\u0301",  # emoji, a zero-width space, a combining accent
]


def random_texts(n=200, seed=0):
    rng = random.Random(seed)
    pool = "".join(ALPHABETS)
    return [
        "".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(n)
    ]


@pytest.fixture(scope="module")
def book_tokenizer():
    return load_pretrained()[1]


@pytest.fixture(scope="module")
def small_tokenizer():
    return Tokenizer.train("\n".join(corpus.training_documents()[:100]), 300)


def test_chunks_cover_every_character():
    for text in random_texts():
        assert "".join(CHUNK.findall(text)) == text


def test_any_text_round_trips_exactly(book_tokenizer, small_tokenizer):
    for tokenizer in (book_tokenizer, small_tokenizer):
        for text in random_texts() + [corpus.held_out_text()]:
            ids = tokenizer.encode(text)
            assert all(0 <= i < tokenizer.vocab_size for i in ids)
            assert tokenizer.decode(ids) == text


def test_unseen_characters_fall_back_to_bytes(book_tokenizer):
    ids = book_tokenizer.encode("🍵")
    assert ids == list("🍵".encode())  # four single-byte tokens


def test_the_first_merge_is_the_most_frequent_pair():
    text = "\n".join(corpus.training_documents()[:100])
    pairs = Counter()
    for chunk in CHUNK.findall(text):
        data = chunk.encode("utf-8")
        pairs.update(zip(data, data[1:]))
    tokenizer = Tokenizer.train(text, 257)
    assert pairs[tokenizer.merges[0]] == max(pairs.values())


def test_save_and_load(tmp_path, small_tokenizer):
    small_tokenizer.save(tmp_path / "t.json")
    loaded = Tokenizer.load(tmp_path / "t.json")
    assert loaded.merges == small_tokenizer.merges
    text = corpus.held_out_text()
    assert loaded.encode(text) == small_tokenizer.encode(text)


def test_the_book_vocabulary(book_tokenizer):
    assert book_tokenizer.vocab_size == 640
    assert len(book_tokenizer.encode("Ana lives in Lisbon.")) == 5  # whole words


def test_chinese_takes_more_tokens_per_character_than_english(ran):
    run = ran("ch06/bpe_tokenizer.py")
    ratios = run.namespace["tokens_per_character"](
        run.namespace["tokenizer"], corpus.held_out_documents()
    )
    assert 0.2 < ratios["English"] < 0.4
    assert 0.5 < ratios["Chinese"] < 0.8
    assert ratios["Chinese"] > 2 * ratios["English"]
