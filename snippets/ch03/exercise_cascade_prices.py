"""Exercise: the same cascade when the expensive model costs only a little more.

Needs cascade.py beside it.
"""

import torch

from cascade import (
    accuracy,
    cascade,
    cheapest_match,
    make_expensive,
    make_queries,
    train_cheap,
)

if __name__ == "__main__":
    generator = torch.Generator().manual_seed(0)  # the chapter's queries and models
    train, validation, test = (make_queries(n, generator) for n in (2000, 4000, 4000))
    cheap, expensive = train_cheap(*train), make_expensive(*train)
    thresholds = [0.5 + i / 200 for i in range(101)]
    x, y = validation
    threshold = cheapest_match(*cheap(x), expensive(x), y, thresholds)

    x, y = test
    cheap_answer, confidence = cheap(x)
    expensive_answer = expensive(x)
    answer, _ = cascade(cheap_answer, confidence, expensive_answer, threshold)
    sent_on = (confidence < threshold).float().mean().item()
    print(f"threshold {threshold:.3f}: {sent_on:.1%} of queries sent on, "
          f"accuracy {accuracy(answer, y):.3f}")
    print("expensive price   cascade cost   as a share of the expensive model's")
    shares = {}
    for price in [100.0, 20.0, 2.0, 1.1]:
        _, cost = cascade(cheap_answer, confidence, expensive_answer, threshold,
                          prices=(1.0, price))
        shares[price] = cost / price
        print(f"{price:>15g}   {cost:>12.2f}   {shares[price]:>10.0%}")
    print(f"the cascade saves only while the price ratio exceeds "
          f"1 / (1 - {sent_on:.3f}) = {1 / (1 - sent_on):.2f}")
