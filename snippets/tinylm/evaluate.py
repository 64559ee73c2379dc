"""What the model knows: scores computed in one batched pass, without generating."""

from __future__ import annotations

import dataclasses
import math

import torch

from tinylm import corpus


def _batch(sequences: list[list[int]]):
    """Token lists padded on the right into one tensor [n, longest]. The real
    tokens come first and attention is causal, so they never read the padding."""
    longest = max(len(ids) for ids in sequences)
    return torch.tensor([ids + [0] * (longest - len(ids)) for ids in sequences])


@torch.no_grad()
def completes(model, tokenizer, prompts: list[str], continuations: list[str]):
    """For each prompt, whether greedy decoding writes its continuation: whether
    every token of the continuation is the most likely one, given the prompt and
    the tokens before it. A prompt must end where a token ends (after a word, not
    after a space). Returns a list of bools."""
    prompt_ids = [tokenizer.encode(p) for p in prompts]
    wanted = [tokenizer.encode(c) for c in continuations]
    whole = _batch([p + w for p, w in zip(prompt_ids, wanted)])  # [n, longest]
    predicted = model(whole).argmax(-1)  # [n, longest]: the most likely next ids
    return [
        predicted[i, len(p) - 1 : len(p) + len(w) - 1].tolist() == w
        for i, (p, w) in enumerate(zip(prompt_ids, wanted))
    ]


@torch.no_grad()
def log_likelihood(model, tokenizer, texts: list[str]) -> list[float]:
    """The log-probability of each text's tokens after its first."""
    ids = [tokenizer.encode(t) for t in texts]
    batch = _batch(ids)  # [n, longest]
    log_p = model(batch[:, :-1]).log_softmax(-1)  # [n, longest - 1, vocab]
    per_token = log_p.gather(2, batch[:, 1:, None])[..., 0]  # [n, longest - 1]
    return [per_token[i, : len(t) - 1].sum().item() for i, t in enumerate(ids)]


def perplexity(model, tokenizer, documents: list[str]) -> float:
    """How well the model predicts the documents: exp of the mean negative
    log-probability of every token after each document's first (its closing
    newline included). Any model mapping ids [batch, t] to scores
    [batch, t, vocab] will do."""
    texts = [d + "\n" for d in documents]
    n_predicted = sum(len(tokenizer.encode(t)) - 1 for t in texts)
    return math.exp(-sum(log_likelihood(model, tokenizer, texts)) / n_predicted)


def knowledge(model, tokenizer) -> dict[str, float]:
    """The shares of the world's facts the model knows, four ways:
    facts_en: greedy decoding completes "Ana lives in" with " Lisbon" (for every
        person and attribute);
    facts_zh: of the eight Chinese sentences "安娜住在…。" that differ only in
        the value, the true one is the most likely (every person and attribute);
    qa_seen: the greedy answer to "Q: Where does Ana live?\\nA:" is the whole
        answer line, for the people asked about in the training text (QA_PEOPLE);
    qa_unseen: the same for the people it only read about (HELD_OUT_PEOPLE)."""
    pairs = [(p, a) for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]
    prompts, values = zip(*(corpus.fact_prompt(p, a) for p, a in pairs))
    facts_en = completes(model, tokenizer, list(prompts), [" " + v for v in values])

    # Chinese: all eight versions of each fact's sentence, scored in one pass
    options = [[v for v, _ in corpus.VALUES[a]] for _, a in pairs]
    sentences = [
        corpus.fact(dataclasses.replace(p, **{a: v}), a, "zh")
        for (p, a), values in zip(pairs, options)
        for v in values
    ]
    scores = torch.tensor(log_likelihood(model, tokenizer, sentences))
    best = scores.view(len(pairs), -1).argmax(1).tolist()
    facts_zh = [
        values[b] == p.value(a) for (p, a), values, b in zip(pairs, options, best)
    ]

    def qa(people):
        asked = [(p, a) for p in people for a in corpus.ATTRIBUTES]
        questions = [corpus.question(p, a) for p, a in asked]
        answers = [corpus.answer(p, a) + "\n" for p, a in asked]
        return completes(model, tokenizer, questions, answers)

    def share(results):
        return sum(results) / len(results)

    return {
        "facts_en": share(facts_en),
        "facts_zh": share(facts_zh),
        "qa_seen": share(qa(corpus.QA_PEOPLE)),
        "qa_unseen": share(qa(corpus.HELD_OUT_PEOPLE)),
    }
