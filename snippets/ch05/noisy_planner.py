"""Errors compound: a planner that slips now and then writes plans whose chance of being
right falls with every step, unless the agent looks where it is and plans again.

Needs grid_agent.py (this chapter's first example) beside it."""

import random
from functools import cache

from grid_agent import GOAL, a_star, is_wall, wilson

MOVES = {(-1, 0): "north", (1, 0): "south", (0, -1): "west", (0, 1): "east"}


# --8<-- [start:noisy]
@cache
def shortest_route(cell) -> tuple:
    """A* from `cell` to the goal, in a house with every door open."""
    return tuple(a_star(cell, GOAL, frozenset()))


def noisy_plan(cell, slip: float, rng, steps=None) -> list:
    """The moves of the shortest route from `cell` (the first `steps` of them), each
    replaced, with probability `slip`, by one of the other three directions."""
    plan, here = [], cell
    for nxt in shortest_route(cell)[:steps]:
        move = (nxt[0] - here[0], nxt[1] - here[1])
        if rng.random() < slip:
            move = rng.choice([m for m in MOVES if m != move])
        plan.append(move)
        here = nxt
    return plan


def walk(cell, move):
    """One move; a wall leaves the agent where it is."""
    target = (cell[0] + move[0], cell[1] + move[1])
    return cell if is_wall(target) else target


def open_loop(start, slip: float, rng) -> bool:
    """Plan the whole route once, then walk it without looking."""
    cell = start
    for move in noisy_plan(start, slip, rng):
        cell = walk(cell, move)
    return cell == GOAL


def closed_loop(start, slip: float, rng, max_steps: int = 100) -> int | None:
    """Look where it is after every move and plan again from there (one move at a
    time, with the same slips). Returns the steps it took, or None."""
    cell = start
    for step in range(max_steps):
        if cell == GOAL:
            return step
        cell = walk(cell, noisy_plan(cell, slip, rng, steps=1)[0])
    return None
# --8<-- [end:noisy]


def starts_by_distance() -> dict:
    """Every cell, grouped by the length of its shortest route to the goal."""
    size = GOAL[0] + 3
    cells = [(r, c) for r in range(size) for c in range(size)
             if not is_wall((r, c)) and (r, c) != GOAL]
    groups = {}
    for cell in cells:
        groups.setdefault(len(shortest_route(cell)), []).append(cell)
    return groups


if __name__ == "__main__":
    # --8<-- [start:main]
    rng = random.Random(0)
    groups = starts_by_distance()
    slip, trials = 0.05, 400
    print(f"a planner that slips on {slip:.0%} of its moves, {trials} trials per length")
    print("route length  (1 - slip)^length  open loop (95% CI)   closed loop  extra steps")
    table = {}
    for length in (2, 6, 10, 14, 18):
        starts = [rng.choice(groups[length]) for _ in range(trials)]
        reached = sum(open_loop(start, slip, rng) for start in starts)
        steps = [closed_loop(start, slip, rng) for start in starts]
        arrived = [s for s in steps if s is not None]
        table[length] = reached / trials, len(arrived) / trials
        low, high = wilson(reached, trials)
        print(f"{length:12}  {(1 - slip) ** length:17.2f}  {reached / trials:9.2f} "
              f"[{low:.2f}, {high:.2f}]  {len(arrived) / trials:10.2f}  "
              f"{sum(arrived) / len(arrived) - length:11.2f}")
    # --8<-- [end:main]
