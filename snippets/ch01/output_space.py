"""Why generation is hard: an output is one of V^L objects; one step, one of V."""

import math

# --8<-- [start:spaces]
# name: (unit, V = how many values one unit can take, L = how many units the output has)
SPACES = {
    "a 100-token answer": ("tokens", 50_000, 100),
    "a 64x64 RGB image": ("intensity levels", 256, 64 * 64 * 3),
    "one second of 16 kHz audio": ("amplitude levels", 2**16, 16_000),
}


def output_space_digits(vocabulary: int, length: int) -> int:
    """Decimal digits of V^L, the number of possible outputs: floor(L log10 V) + 1."""
    return math.floor(length * math.log10(vocabulary)) + 1
# --8<-- [end:spaces]


if __name__ == "__main__":
    # --8<-- [start:main]
    for name, (unit, vocabulary, length) in SPACES.items():
        print(f"{name}: {length:,} units, each one of {vocabulary:,} {unit}")
        print(
            f"    one step chooses among {vocabulary:,}; the whole output is one of "
            f"V^L, a number with {output_space_digits(vocabulary, length):,} digits"
        )
    seconds_since_big_bang = 13.8e9 * 365.25 * 24 * 3600
    print(
        "for scale: the universe is about "
        f"10^{math.log10(seconds_since_big_bang):.1f} seconds old"
    )
    # --8<-- [end:main]
