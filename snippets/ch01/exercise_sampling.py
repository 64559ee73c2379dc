"""Exercise: sampling at a temperature draws each choice as often as its probability says.

Needs temperature.py (chapter 1's example) beside it.
"""

import torch

from temperature import CHOICES, LOGITS, softmax_with_temperature

if __name__ == "__main__":
    draws = 10_000
    probabilities = softmax_with_temperature(LOGITS, 0.5)  # [choices]
    generator = torch.Generator().manual_seed(0)
    samples = torch.multinomial(probabilities, draws, replacement=True, generator=generator)
    counts = torch.bincount(samples, minlength=len(CHOICES))  # [choices]
    print(f"{draws:,} draws at T = 0.5:")
    for choice, p, count in zip(CHOICES, probabilities, counts):
        print(f"  {choice:<8} probability {p:.3f}   drawn {count / draws:.3f} of the time")
