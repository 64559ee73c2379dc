"""The same arithmetic on every x86 machine, so committed outputs hold wherever tests run.

PyTorch picks CPU kernels by instruction set (AVX2, AVX-512…), and MKL picks its own code
paths by processor; each adds floating-point numbers in its own order, so a model trained
on one CPU ends a few rounding errors away from one trained on another, and a sampled
sentence or a rounded percentage can flip. Pinning one instruction set (AVX2, which every
x86 machine of the last decade has) and MKL's conditional numerical reproducibility makes
the runs agree. One thread removes the other source of reordering.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def has_avx2() -> bool:
    cpuinfo = Path("/proc/cpuinfo")
    if platform.machine().lower() not in {"x86_64", "amd64"} or not cpuinfo.exists():
        return False
    return " avx2" in cpuinfo.read_text()


REPRODUCIBLE_ENV = {
    "OMP_NUM_THREADS": "1",
    **(
        {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
        if has_avx2()
        else {}
    ),
}


def pin_numerics() -> None:
    """Set REPRODUCIBLE_ENV in this process; call it before torch is imported."""
    os.environ.update(REPRODUCIBLE_ENV)
