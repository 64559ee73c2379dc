"""Exercise: an agent that waits at a locked door, as the retrying agent does, and plans a
new route, as the replanning agent does, when the door stays locked.

Needs grid_agent.py (this chapter's first example) beside it."""

import math

from grid_agent import (
    GOAL,
    START,
    Episode,
    a_star,
    busy_doors,
    random_world,
    run_agent,
    run_retrying_agent,
    wilson,
)


def run_patient_agent(locked, opens_after, start=START, goal=GOAL, retries=5,
                      max_steps=200):
    """Walk the plan; at a locked door wait and try again, up to `retries` times; if
    it is still locked, remember it and plan a new route from where it stands."""
    locked = set(locked)  # a busy door, once open, stays open
    episode = Episode(reached=False, path=[start])
    position, plan = start, a_star(start, goal, set())
    while plan is not None and position != goal and episode.steps < max_steps:
        door = plan[0]
        if door in locked:
            wait = opens_after.get(door, math.inf)
            episode.steps += min(wait, retries)  # waiting and trying again
            if wait > retries:  # give up on this door, not on the goal
                episode.known_locked.add(door)
                plan = a_star(position, goal, episode.known_locked)
                episode.replans += 1
                continue
            locked.discard(door)
        position = plan.pop(0)
        episode.steps += 1
        episode.path.append(position)
    episode.reached = position == goal
    return episode


if __name__ == "__main__":
    agents = {"replanning": [], "retrying": [], "waits, then replans": []}
    for seed in range(500):
        locked = random_world(p_locked=0.3, seed=seed)
        busy = busy_doors(locked, seed)
        agents["replanning"].append(run_agent(locked))
        agents["retrying"].append(run_retrying_agent(locked, busy))
        agents["waits, then replans"].append(run_patient_agent(locked, busy))
    everyone = [i for i in range(500) if all(a[i].reached for a in agents.values())]
    print("half the locks are busy doors (p = 0.3, 500 worlds)")
    print(f"agent                reached the goal (95% CI)  steps in the {len(everyone)} "
          "worlds all three reach")
    for name, episodes in agents.items():
        reached = sum(e.reached for e in episodes)
        low, high = wilson(reached, len(episodes))
        steps = sum(episodes[i].steps for i in everyone) / len(everyone)
        print(f"{name:20} {reached / 500:4.0%} [{low:.0%}, {high:.0%}] {steps:28.1f}")
