"""Writing text: the word-chain game, a token at a time, with a key-value cache."""

from __future__ import annotations

import torch


@torch.no_grad()
def generate(
    model,
    tokenizer,
    prompt: str,
    max_new_tokens: int = 40,
    temperature: float = 0.0,
    seed: int = 0,
    stop: str | None = "\n",
    logits_hook=None,
    use_cache: bool = True,
) -> str:
    """The text the model writes after `prompt`, up to (not including) `stop`.

    temperature 0 is greedy decoding (always the most likely token); otherwise
    tokens are sampled, seeded by `seed`. logits_hook(logits [vocab], ids so far)
    -> logits may change the scores before each choice. With use_cache, each step
    reads only the newest token and reuses the keys and values of the others;
    without, it reads everything again."""
    generator = torch.Generator().manual_seed(seed)
    context = model.config.context
    ids = tokenizer.encode(prompt or "\n")  # an empty prompt: start a new document
    n_prompt, n_read = len(ids), 0  # tokens of the prompt; tokens the cache holds
    cache = model.new_cache() if use_cache else None
    for _ in range(max_new_tokens):
        if cache is not None and len(ids) > context:
            cache = None  # past the last position the model knows: slide a window
        if cache is None:
            logits = model(torch.tensor([ids[-context:]]))[0, -1]  # [vocab]
        else:
            new = torch.tensor([ids[n_read:]])  # the tokens not yet in the cache
            logits = model(new, cache=cache)[0, -1]  # [vocab]
            n_read = len(ids)
        if logits_hook is not None:
            logits = logits_hook(logits, ids)
        if temperature == 0:
            next_id = int(logits.argmax())
        else:
            probabilities = torch.softmax(logits / temperature, dim=-1)
            next_id = int(torch.multinomial(probabilities, 1, generator=generator))
        ids.append(next_id)
        if stop and stop in tokenizer.decode(ids[n_prompt:]):
            break
    text = tokenizer.decode(ids[n_prompt:])
    return text.split(stop)[0] if stop else text
