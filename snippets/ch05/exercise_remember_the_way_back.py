"""Exercise: after reaching the goal, the agent walks back to the start. Does it help
to keep the memory of the locked doors it found on the way there?

Needs grid_agent.py (this chapter's first example) beside it.
"""

from grid_agent import GOAL, START, a_star, random_world, run_agent

if __name__ == "__main__":
    trips = {"there": [], "back, memory wiped": [], "back, memory kept": []}
    shortest = []  # the way back for an oracle that knows every lock
    for seed in range(500):
        locked = random_world(p_locked=0.3, seed=seed)
        there = run_agent(locked)
        if not there.reached:
            continue
        trips["there"].append(there)
        trips["back, memory wiped"].append(run_agent(locked, start=GOAL, goal=START))
        trips["back, memory kept"].append(
            run_agent(locked, start=GOAL, goal=START, memory=there.known_locked)
        )
        shortest.append(len(a_star(GOAL, START, locked)))
    n = len(shortest)
    print(f"{n} worlds where the goal can be reached (doors locked with p = 0.3)")
    for name, episodes in trips.items():
        replans = sum(e.replans for e in episodes) / n
        steps = sum(e.steps for e in episodes) / n
        print(f"  {name:20} replans {replans:.2f}, steps {steps:.1f}")
    print(f"  shortest way back    steps {sum(shortest) / n:.1f}")
