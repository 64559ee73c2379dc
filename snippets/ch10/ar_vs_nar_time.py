"""Word by word or all at once: steps, operations and time for the same length.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above. Autoregressive: the tiny model writes 40 tokens, one pass each (with its
key-value cache). Non-autoregressive: one pass over 40 positions, which is what a generator
that fills in every position at once would spend with a network of the same size.
"""

import math
import sys
import time
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import generate, load_pretrained

LENGTH = 40


# --8<-- [start:measure]
@torch.no_grad()
def one_pass(model, length: int):
    """Every position at once: a single pass over `length` positions."""
    return model(torch.zeros(1, length, dtype=torch.long))


def counted(function) -> int:
    """The operations (FLOPs of matrix products) that function() performs."""
    with FlopCounterMode(display=False) as counter:
        function()
    return counter.get_total_flops()


def fastest(function, calls: int, repeats: int = 5) -> float:
    """Seconds of computing per call: the fastest of a few runs of `calls` calls,
    the run least disturbed by other work. CPU time, not the clock on the wall: on
    one thread it is the wall-clock time of a machine with nothing else to do."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(calls):
            function()
        times.append((time.process_time() - start) / calls)
    return min(times)
# --8<-- [end:measure]


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.set_num_threads(1)  # a model this small runs fastest on one thread
    model, tokenizer = load_pretrained()

    def autoregressive():  # a one-token prompt, then LENGTH - 1 new tokens
        return generate(model, tokenizer, "Ana", LENGTH - 1, stop=None)

    def non_autoregressive():
        return one_pass(model, LENGTH)

    print(f"{LENGTH} tokens with the tiny model:")
    print(f"  sequential steps: {LENGTH} autoregressive, 1 non-autoregressive")
    ar_flops, nar_flops = counted(autoregressive), counted(non_autoregressive)
    print(f"  operations: {ar_flops:.3g} autoregressive, {nar_flops:.3g} "
          f"non-autoregressive ({ar_flops / nar_flops:.2f} times)")
    ratio = fastest(autoregressive, 1) / fastest(non_autoregressive, 20)
    at_least = 10 ** math.floor(math.log10(ratio))  # the time varies: say only its order
    print(f"  time on this machine: autoregressive more than {at_least} times as long")

    print("One autoregressive generation, one unit per step, at 1 ms a step:")
    for what, steps in {
        "a 1024 x 1024 image, a pixel per step": 1024 * 1024,
        "... each colour (R, G, B) a step": 1024 * 1024 * 3,
        "a minute of 22.05 kHz audio, a sample per step": 60 * 22_050,
        "a 500-token answer, a token per step": 500,
    }.items():
        print(f"  {what:<46} {steps:>9,} steps {steps / 1000 / 60:6.2f} minutes")
    # --8<-- [end:main]
