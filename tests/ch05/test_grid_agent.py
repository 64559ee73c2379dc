"""Chapter 5: an agent that plans with A*, discovers locked doors and replans."""

import random
from collections import deque

import pytest


@pytest.fixture(scope="module")
def agent(snippet):
    return snippet("ch05/grid_agent.py")


def bfs_length(agent, start, goal, blocked):
    """Reference: breadth-first search, the textbook shortest path on a grid."""
    distance = {start: 0}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == goal:
            return distance[cell]
        for nxt in agent.neighbours(cell):
            if nxt not in distance and not agent.is_wall(nxt) and nxt not in blocked:
                distance[nxt] = distance[cell] + 1
                queue.append(nxt)
    return None


def is_route(agent, start, route, blocked):
    cells = [start, *route]
    steps_ok = all(
        abs(a[0] - b[0]) + abs(a[1] - b[1]) == 1 for a, b in zip(cells, cells[1:])
    )
    return steps_ok and not any(agent.is_wall(c) or c in blocked for c in route)


def test_the_house_has_nine_rooms_and_twelve_doors(agent):
    assert len(agent.DOORS) == 12
    floor = [(r, c) for r in range(agent.SIZE) for c in range(agent.SIZE)
             if not agent.is_wall((r, c))]
    assert len(floor) == 9 * 9 + 12  # 9 rooms of 3 x 3 cells, and the doors
    assert bfs_length(agent, agent.START, agent.GOAL, set()) == 16


def test_a_star_finds_shortest_routes_like_breadth_first_search(agent):
    rng = random.Random(0)
    floor = [(r, c) for r in range(agent.SIZE) for c in range(agent.SIZE)
             if not agent.is_wall((r, c))]
    for seed in range(200):
        locked = agent.random_world(0.4, seed)
        start, goal = rng.choice(floor), rng.choice(floor)
        route = agent.a_star(start, goal, locked)
        want = bfs_length(agent, start, goal, locked)
        if want is None:
            assert route is None
        else:
            assert len(route) == want
            assert is_route(agent, start, route, locked)
            assert (route[-1] if route else start) == goal


def test_the_example_agent_replans_on_what_it_sees_and_arrives(ran, agent):
    run = ran("ch05/grid_agent.py").namespace
    episode, locked = run["episode"], run["locked"]
    assert episode.reached and episode.replans >= 1
    assert episode.path[0] == agent.START and episode.path[-1] == agent.GOAL
    assert episode.steps == len(episode.path) - 1
    assert is_route(agent, agent.START, episode.path[1:], locked)
    assert episode.steps >= bfs_length(agent, agent.START, agent.GOAL, locked)
    assert episode.known_locked <= locked  # it only remembers what it saw
    # what it saw: the locked doors next to the cells it walked
    seen = {c for cell in episode.path for c in agent.neighbours(cell)} & locked
    assert episode.known_locked == seen
    # one replan for each locked door it found on its plan, each logged
    assert sum("new plan" in line for line in episode.log) == episode.replans


def test_the_replanning_agent_reaches_the_goal_exactly_when_it_can_be_reached(agent):
    for p in (0.1, 0.3, 0.5):
        for seed in range(300):
            locked = agent.random_world(p, seed)
            reachable = agent.a_star(agent.START, agent.GOAL, locked) is not None
            assert agent.run_agent(locked).reached == reachable


def test_the_retrying_agent_arrives_when_every_lock_on_its_plan_opens_in_time(agent):
    first_plan = agent.a_star(agent.START, agent.GOAL, set())
    for seed in range(300):
        locked = agent.random_world(0.3, seed)
        on_plan = [cell for cell in first_plan if cell in locked]
        # locks that last: waiting never helps
        assert agent.run_retrying_agent(locked).reached == (not on_plan)
        busy = agent.busy_doors(locked, seed)
        assert set(busy) <= locked and all(1 <= w <= 10 for w in busy.values())
        episode = agent.run_retrying_agent(locked, busy, retries=5)
        assert episode.replans == 0
        assert episode.reached == all(busy.get(door, 99) <= 5 for door in on_plan)
        if episode.reached:  # its route, plus the steps it waited
            assert episode.steps == len(first_plan) + sum(busy[door] for door in on_plan)


def test_about_half_the_locks_are_busy(agent):
    locks = busy = 0
    for seed in range(500):
        locked = agent.random_world(0.3, seed)
        locks += len(locked)
        busy += len(agent.busy_doors(locked, seed))
    low, high = agent.wilson(busy, locks)
    assert low < 0.5 < high


def test_replanning_beats_retrying_at_a_cost_in_steps(ran):
    rates = ran("ch05/grid_agent.py").namespace["rates"]
    for p, r in rates.items():
        assert r["replanning agent"] == r["reachable"]
        assert r["extra steps"] >= 0
        if p > 0:
            assert r["retrying agent"] < r["replanning agent"]
            assert r["replans"] > 0 and r["extra steps"] > 0
    assert rates[0.0] == {"reachable": 1.0, "replanning agent": 1.0, "retrying agent": 1.0,
                          "replans": 0.0, "extra steps": 0.0}


def test_with_busy_doors_each_agent_wins_somewhere(ran, agent):
    run = ran("ch05/grid_agent.py").namespace
    replanning, retrying = run["busy"].values()
    for seed, episode in enumerate(replanning):  # busy doors change nothing for it
        locked = agent.random_world(0.3, seed)
        assert episode.reached == (agent.a_star(agent.START, agent.GOAL, locked) is not None)
    n = len(replanning)
    k_replanning, k_retrying = sum(e.reached for e in replanning), sum(e.reached for e in retrying)
    assert agent.wilson(k_replanning, n)[0] > agent.wilson(k_retrying, n)[1]
    assert run["only_retrying"] > 0 and run["only_replanning"] > run["only_retrying"]
    both = run["both"]  # (replanning steps, retrying steps) where both arrive
    assert len(both) > 100
    assert sum(b for _, b in both) < sum(a for a, _ in both)  # waiting beats detours here


def test_what_the_figure_shows(ran):
    """The figure's claims: the replanning agent's line lies on the reachable line; the
    retrying agent's falls much faster, to half of it or less from 30% locked doors on."""
    run = ran("ch05/grid_agent.py")
    assert "grid_agent_success.svg" in run.figures
    for p, rate in run.namespace["rates"].items():
        assert rate["replanning agent"] == rate["reachable"], p
        if p >= 0.3:
            assert rate["retrying agent"] <= 0.5 * rate["reachable"], p
