"""Check, without running it, that a chapter notebook's cells find the names they use.

Each snippet file runs on its own in the suite; what a notebook adds is that the chapter's
files share one namespace, cut into the page's sections and interleaved. Two things can go
wrong there and nowhere else, and both are visible in the code itself:
- a cell reads a name, when it runs, before any earlier cell has defined it (class bodies,
  default arguments, decorators and top-level code read names at once; function bodies
  only when called);
- a file's code reads a name that the file defines, but another file's cell redefines it
  before that file is done (two examples that both define `train`, interleaved).
"""

from __future__ import annotations

import builtins
import re
import symtable
from dataclasses import dataclass

SNIPPET_TITLE = re.compile(r"^# snippets/(?P<file>\S+?\.py)\b")
BUILTINS = set(dir(builtins)) | {"__name__", "__doc__", "display", "get_ipython"}


@dataclass(frozen=True)
class CellNames:
    file: str | None  # the snippet the cell comes from; None for code written in the page
    binds: frozenset[str]  # names the cell binds at module level
    reads_now: frozenset[str]  # globals it reads when it runs
    reads_later: frozenset[str]  # globals its functions read when they are called


def cell_names(source: str) -> CellNames:
    table = symtable.symtable(source, "<cell>", "exec")
    binds = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    reads_now = {s.get_name() for s in table.get_symbols() if s.is_referenced()} - binds
    reads_later: set[str] = set()

    def visit(scope: symtable.SymbolTable, runs_now: bool) -> None:
        names = {s.get_name() for s in scope.get_symbols() if s.is_global() and s.is_referenced()}
        (reads_now if runs_now else reads_later).update(names)
        for child in scope.get_children():
            visit(child, runs_now and child.get_type() == "class")

    for child in table.get_children():
        visit(child, child.get_type() == "class")
    title = SNIPPET_TITLE.match(source)
    return CellNames(
        title and title["file"],
        frozenset(binds),
        frozenset(reads_now - BUILTINS),
        frozenset(reads_later - BUILTINS - reads_now),
    )


def name_problems(sources: list[str]) -> list[str]:
    """What would fail in the notebook whose code cells are `sources`, in order."""
    cells = [cell_names(source) for source in sources]
    problems = []
    bound: set[str] = set()
    for number, cell in enumerate(cells):
        for name in sorted(cell.reads_now - bound - cell.binds):
            problems.append(
                f"code cell {number} ({cell.file or 'page code'}) reads {name!r} before any "
                "earlier cell defines it"
            )
        bound |= cell.binds
    for file in dict.fromkeys(cell.file for cell in cells if cell.file):
        mine = [number for number, cell in enumerate(cells) if cell.file == file]
        own = set().union(*(cells[n].binds for n in mine))
        used = set().union(*(cells[n].reads_now | cells[n].reads_later for n in mine))
        for number in range(mine[0], mine[-1] + 1):
            other = cells[number]
            if other.file == file:
                continue
            for name in sorted(other.binds & own & used):
                problems.append(
                    f"code cell {number} ({other.file or 'page code'}) redefines {name!r} "
                    f"while snippets/{file} still uses its own: rename one, or show one "
                    "file's sections before the other's"
                )
    return problems
