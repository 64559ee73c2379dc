"""Exercise: cut the same clip into smaller patches, 8 x 8 pixels instead of 16 x 16.
Predict the number of tokens, and what happens to the cost of full and of factorised
attention, before running it.

Needs patches.py beside it.
"""

from patches import attention_flops

if __name__ == "__main__":
    frames, h, w = 64, 256, 256  # a clip of 64 frames, 2 frames deep per patch
    costs = {}
    for p in (16, 8):
        times, places = frames // 2, (h // p) * (w // p)
        costs[p] = attention_flops(times, places)
        print(f"patches of {p:>2} x {p:<2}: {times * places:>6} tokens; full attention "
              f"{costs[p]['full']:.3g} FLOPs, factorised {costs[p]['factorised']:.3g}")
    for kind in ("full", "factorised"):
        print(f"{kind} attention grows {costs[8][kind] / costs[16][kind]:.1f} times")
