"""An agent in a small world: it plans a route with A* search, walks it, perceives that
a door it believed open is locked, remembers that, and plans again."""

import heapq
import math
import random
from dataclasses import dataclass, field

ROOMS, ROOM = 3, 3  # a house of 3 x 3 rooms, each 3 x 3 cells inside its walls
SIZE = ROOMS * (ROOM + 1) + 1  # 13 cells across, walls included
START, GOAL = (2, 2), (SIZE - 3, SIZE - 3)  # the middles of opposite corner rooms


# --8<-- [start:world]
STEP = ROOM + 1  # a wall every fourth row and column

DOORS = {  # 12 doors: one in the middle of each wall between two neighbouring rooms
    *((STEP * i + STEP // 2, STEP * j) for i in range(ROOMS) for j in range(1, ROOMS)),
    *((STEP * i, STEP * j + STEP // 2) for i in range(1, ROOMS) for j in range(ROOMS)),
}


def is_wall(cell) -> bool:
    """The floor plan, which the agent knows: the outer walls, and walls every fourth
    row and column except where there is a door."""
    r, c = cell
    if not (0 < r < SIZE - 1 and 0 < c < SIZE - 1):
        return True
    return (r % STEP == 0 or c % STEP == 0) and cell not in DOORS


FLOOR = frozenset((r, c) for r in range(SIZE) for c in range(SIZE) if not is_wall((r, c)))


def random_world(p_locked: float, seed: int) -> frozenset:
    """What the agent does not know: which doors are locked."""
    rng = random.Random(seed)
    return frozenset(door for door in sorted(DOORS) if rng.random() < p_locked)


def neighbours(cell):
    r, c = cell
    return [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]
# --8<-- [end:world]


# --8<-- [start:plan]
def a_star(start, goal, blocked) -> list | None:
    """The shortest route from start to goal avoiding walls and `blocked` cells, as the
    list of cells after start; None if there is none. A* always extends the route
    whose length so far plus the Manhattan distance still to go is smallest; as that
    distance never overestimates, the first route to reach the goal is a shortest."""
    def h(cell):
        return abs(cell[0] - goal[0]) + abs(cell[1] - goal[1])

    # (steps so far + estimate to go, -steps, cell): among equals, the longest route first
    frontier = [(h(start), 0, start)]
    best = {start: 0}  # the fewest steps found so far to each cell
    came_from = {start: None}
    while frontier:
        _, minus_steps, cell = heapq.heappop(frontier)
        steps = -minus_steps
        if cell == goal:
            route = []
            while cell != start:
                route.append(cell)
                cell = came_from[cell]
            return route[::-1]
        if steps > best[cell]:
            continue  # a longer way to a cell already reached more quickly
        for nxt in neighbours(cell):
            if nxt not in FLOOR or nxt in blocked:
                continue
            if steps + 1 < best.get(nxt, SIZE * SIZE):
                best[nxt], came_from[nxt] = steps + 1, cell
                heapq.heappush(frontier, (steps + 1 + h(nxt), -(steps + 1), nxt))
    return None
# --8<-- [end:plan]


# --8<-- [start:agent]
@dataclass
class Episode:
    reached: bool
    steps: int = 0
    replans: int = 0
    path: list = field(default_factory=list)
    known_locked: set = field(default_factory=set)  # its memory at the end
    log: list = field(default_factory=list)


def run_agent(locked, start=START, goal=GOAL, memory=(), max_steps=200):
    """The agent loop. Its ultimate goal: reach `goal`. Its memory: the doors it knows
    to be locked (it believes every other door is open). Each step it perceives the
    cells next to it, remembers any locked door, revises its plan if that door is on
    its route, and otherwise acts: one step along the plan."""
    episode = Episode(reached=False, known_locked=set(memory), path=[start])
    position = start
    plan = a_star(position, goal, episode.known_locked)  # from the goal and memory
    episode.log.append(f"plan: {len(plan)} steps")
    while plan is not None and position != goal and episode.steps < max_steps:
        seen = {cell for cell in neighbours(position) if cell in locked}  # perceive
        new = seen - episode.known_locked
        episode.known_locked |= new  # remember
        if set(plan) & new:  # the world is not as it believed, and it matters
            door = min(set(plan) & new)
            plan = a_star(position, goal, episode.known_locked)  # revise the plan
            episode.replans += 1
            episode.log.append(
                f"step {episode.steps}: door {door} is locked; new plan: "
                + (f"{len(plan)} steps" if plan is not None else "no route left")
            )
            continue
        position = plan.pop(0)  # act
        episode.steps += 1
        episode.path.append(position)
    episode.reached = position == goal
    return episode
# --8<-- [end:agent]


# --8<-- [start:retrying]
def busy_doors(locked, seed: int, share: float = 0.5, longest_wait: int = 10) -> dict:
    """A world where some locks do not last: each locked door, with probability
    `share`, is only busy and opens after 1 to `longest_wait` steps of waiting."""
    rng = random.Random(-1 - seed)  # a generator of its own, apart from the locks'
    return {door: rng.randint(1, longest_wait) for door in sorted(locked)
            if rng.random() < share}


def run_retrying_agent(locked, opens_after=None, start=START, goal=GOAL, retries=5):
    """An agent that never revises its first plan, but does not give up at the first
    locked door either: it waits a step and tries again, up to `retries` times. A door
    in `opens_after` opens once it has been tried for that many steps."""
    opens_after = opens_after or {}
    episode = Episode(reached=False, path=[start])
    position, plan = start, a_star(start, goal, set())  # it believes every door open
    while position != goal:
        if plan[0] in locked:  # the next door on its plan is locked
            wait = opens_after.get(plan[0], math.inf)
            episode.steps += min(wait, retries)  # steps spent waiting and trying again
            if wait > retries:
                episode.known_locked.add(plan[0])
                break  # it gives up
        position = plan.pop(0)
        episode.steps += 1
        episode.path.append(position)
    episode.reached = position == goal
    return episode
# --8<-- [end:retrying]


def draw(episode, locked) -> str:
    """The world as text: # wall, + open door, X a locked door the agent saw,
    x one it never saw, * the cells it walked."""
    rows = []
    for r in range(SIZE):
        row = ""
        for c in range(SIZE):
            cell = (r, c)
            if cell == START:
                row += "S"
            elif cell == GOAL:
                row += "G"
            elif cell in locked:
                row += "X" if cell in episode.known_locked else "x"
            elif cell in episode.path:
                row += "*"
            elif cell in DOORS:
                row += "+"
            else:
                row += "#" if is_wall(cell) else " "
        rows.append(row)
    return "\n".join(rows)


# --8<-- [start:statistics]
def statistics(p_locked: float, worlds: int = 500):
    """Share of worlds where the goal can be reached at all, and where the replanning
    agent and the retrying agent reach it (every lock lasts); the replanning agent's
    replans (mean over all worlds) and its steps beyond the shortest route in the true
    world (mean over the worlds where it arrived)."""
    reachable = replanner = retrier = replans = extra = 0
    for seed in range(worlds):
        locked = random_world(p_locked, seed)
        shortest = a_star(START, GOAL, locked)  # an oracle that knows every lock
        agent = run_agent(locked)
        reachable += shortest is not None
        replanner += agent.reached
        retrier += run_retrying_agent(locked).reached
        replans += agent.replans
        if agent.reached:
            extra += agent.steps - len(shortest)
    return {
        "reachable": reachable / worlds,
        "replanning agent": replanner / worlds,
        "retrying agent": retrier / worlds,
        "replans": replans / worlds,
        "extra steps": extra / max(replanner, 1),
    }


def when_some_doors_are_busy(p_locked: float = 0.3, worlds: int = 500):
    """Both agents in worlds where half the locks are busy doors: how many worlds
    each reaches the goal in, and its mean steps there."""
    results = {"replanning agent": [], "retrying agent": []}
    for seed in range(worlds):
        locked = random_world(p_locked, seed)
        results["replanning agent"].append(run_agent(locked))
        results["retrying agent"].append(run_retrying_agent(locked, busy_doors(locked, seed)))
    return results
# --8<-- [end:statistics]
# --8<-- [end:statistics]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval for k successes in n trials."""
    centre = (k + z * z / 2) / (n + z * z)
    half = z * math.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    return centre - half, centre + half


def plot_success(rates: dict, path: str = "grid_agent_success.svg"):
    import matplotlib.pyplot as plt  # here, so that the examples that import this file
    # do not pay for loading matplotlib

    fig, ax = plt.subplots(figsize=(6, 3.4))
    ps = list(rates)
    ax.plot(ps, [100 * rates[p]["reachable"] for p in ps], color="0.8", linewidth=8,
            label="goal reachable at all")
    ax.plot(ps, [100 * rates[p]["replanning agent"] for p in ps], "o-",
            label="replanning agent")
    ax.plot(ps, [100 * rates[p]["retrying agent"] for p in ps], "s--",
            label="agent that retries, never replans")
    ax.set(xlabel="probability that a door is locked",
           ylabel="worlds where it reaches the goal (%)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    locked = random_world(p_locked=0.3, seed=22)
    episode = run_agent(locked)
    print("\n".join(episode.log))
    print(f"reached the goal: {episode.reached}, in {episode.steps} steps, "
          f"{episode.replans} replans")
    print(draw(episode, locked))

    rates = {p: statistics(p) for p in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)}
    print("p(locked)  reachable  replanning  retrying  replans  extra steps")
    for p, r in rates.items():
        print(f"{p:9.1f}  {r['reachable']:9.0%}  {r['replanning agent']:10.0%}  "
              f"{r['retrying agent']:8.0%}  {r['replans']:7.2f}  {r['extra steps']:11.2f}")
    plot_success(rates)

    busy = when_some_doors_are_busy()
    print("half the locks are busy doors (p = 0.3, 500 worlds):")
    for name, episodes in busy.items():
        reached = sum(e.reached for e in episodes)
        low, high = wilson(reached, len(episodes))
        print(f"  {name} reaches the goal in {reached / len(episodes):.0%} of worlds, "
              f"95% CI [{low:.0%}, {high:.0%}]")
    replanning, retrying = busy.values()
    both = [(a.steps, b.steps) for a, b in zip(replanning, retrying) if a.reached and b.reached]
    print(f"  in the {len(both)} worlds both reach it, on average in "
          f"{sum(a for a, _ in both) / len(both):.1f} and {sum(b for _, b in both) / len(both):.1f}"
          " steps")
    only_replanning = sum(a.reached > b.reached for a, b in zip(replanning, retrying))
    only_retrying = sum(b.reached > a.reached for a, b in zip(replanning, retrying))
    print(f"  only the replanning agent reaches it in {only_replanning} worlds, "
          f"only the retrying one in {only_retrying}")
    # --8<-- [end:main]
