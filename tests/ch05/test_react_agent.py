"""Chapter 5: a language-model agent (ReAct) trained on a teacher's transcripts; its
failure modes, and what a verifier and a loop detector recover."""

import re
from collections import deque

import pytest
import torch


@pytest.fixture(scope="module")
def react(snippet):
    return snippet("ch05/react_agent.py")


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch05/react_agent.py").namespace


def bfs(react, start, blocked):
    """Reference: breadth-first distances from `start`, avoiding walls and `blocked`."""
    distance, queue = {start: 0}, deque([start])
    while queue:
        cell = queue.popleft()
        for nxt in react.neighbours(cell):
            if nxt not in distance and not react.is_wall(nxt) and nxt not in blocked:
                distance[nxt] = distance[cell] + 1
                queue.append(nxt)
    return distance


def test_transcripts_survive_the_tokenizer_unchanged(run, react):
    for text in run["transcripts"]:
        assert react.detokenize(react.tokenize(text)) == text


def test_the_judge_of_moves_is_breadth_first_search(react):
    for seed in range(20):
        known = react.random_world(0.4, seed)
        assert react.distances_to_goal(known) == bfs(react, react.GOAL, known)


def test_wilson_bounds_solve_the_score_equation(react):
    """The Wilson interval is the set of p with |k/n - p| <= z sqrt(p(1-p)/n)."""
    z = 1.96
    for k, n in [(0, 10), (3, 10), (195, 234), (161, 601), (600, 601)]:
        for p in react.wilson(k, n):
            assert (k / n - p) ** 2 == pytest.approx(z * z * p * (1 - p) / n, abs=1e-12)


def test_the_teacher_calls_tools_in_chapter_3s_format_and_never_strays(run, react):
    """Every Action is a well-formed call; every move brings the goal one step closer
    by the shortest way the teacher's knowledge allows; every waypoint lies on such a
    route; every transcript ends at the goal."""
    for (locked, start), text in zip(run["teachers"], run["transcripts"]):
        position, known = start, set()
        lines = text.splitlines()
        for action, observation in zip(lines[2::3], lines[3::3]):
            known |= {c for c in react.neighbours(position) if c in locked}
            call = react.CALL.fullmatch(action.removeprefix("Action: "))
            assert call and call["name"] in ("plan", "move"), action
            to_go = react.distances_to_goal(frozenset(known))
            if call["name"] == "plan":
                assert call["argument"] == f"{position[0]} {position[1]}"
                waypoint = tuple(int(n) for n in re.findall(r"\d+", observation))
                from_here = bfs(react, position, known)
                assert from_here[waypoint] + to_go[waypoint] == to_go[position]
            else:
                dr, dc = react.MOVES[call["argument"]]
                nxt = (position[0] + dr, position[1] + dc)
                assert to_go[nxt] == to_go[position] - 1
                assert observation.startswith(f"Observation: <result>at {nxt[0]} {nxt[1]}")
                position = nxt
        assert position == react.GOAL


def test_the_model_learned_the_teachers_lines(run, react):
    """On transcripts of worlds it never saw, the trained model predicts the agent's
    next token (teacher forcing) almost always; an untrained one does not."""
    texts = [react.expert_transcript(locked, start)
             for locked, start in react.worlds(range(20_000, 20_040))]

    def accuracy(model):
        right = total = 0
        for text in texts:
            ids = react.tokenize(text)
            learn = react.written_by_agent(text)
            windows = torch.tensor([model.context(ids[:i]) for i in range(len(ids))])
            with torch.no_grad():
                guess = model(windows).argmax(-1).tolist()
            right += sum(g == t for g, t, keep in zip(guess, ids, learn) if keep)
            total += sum(learn)
        return right / total

    assert accuracy(run["model"]) > 0.97
    assert accuracy(react.WindowModel()) < 0.2


def test_the_model_alone_fails_in_all_three_ways(run):
    episodes = run["runs"]["model alone"]
    outcomes = [e.outcome for e in episodes]
    n, reached = len(episodes), outcomes.count("goal")
    assert 0.6 * n < reached < 0.95 * n  # useful, not perfect
    assert outcomes.count("loop") > 0.05 * n
    assert sum(e.invalid for e in episodes) > 0.01 * sum(e.actions for e in episodes)
    assert all(e.replans == 0 and e.caught == 0 for e in episodes)


def test_one_wrong_move_makes_the_next_far_likelier(run, react):
    (wrong, moves), (wrong_after, moves_after) = react.compounding(run["runs"]["model alone"])
    assert moves_after > 300  # enough moves after a mistake to measure
    assert react.wilson(wrong_after, moves_after)[0] > 4 * react.wilson(wrong, moves)[1]


def test_the_verifier_lets_no_move_hit_a_wall_or_a_known_lock(run, react):
    alone, checked = run["runs"]["model alone"], run["runs"]["+ verifier"]
    n = len(alone)
    k_alone, k_checked = (sum(e.outcome == "goal" for e in r) for r in (alone, checked))
    assert react.wilson(k_checked, n)[0] > react.wilson(k_alone, n)[1]  # beyond the noise
    for name in ("+ verifier", "+ verifier + replanning"):
        episodes = run["runs"][name]
        assert sum(e.caught for e in episodes) > 0  # it had work to do
        for e in episodes:
            assert "blocked by" not in react.detokenize(e.ids)
            assert e.invalid == 0


def test_the_loop_detector_ends_the_loops_and_recovers_episodes(run, react):
    alone = [e.outcome == "goal" for e in run["runs"]["model alone"]]
    helped = run["runs"]["+ verifier + replanning"]
    assert not any(e.outcome == "loop" for e in helped)
    assert sum(e.replans for e in helped) > 0
    n = len(helped)
    k_alone, k_helped = sum(alone), sum(e.outcome == "goal" for e in helped)
    assert react.wilson(k_helped, n)[0] > react.wilson(k_alone, n)[1]  # beyond the noise
    gained = sum((e.outcome == "goal") > a for a, e in zip(alone, helped))
    lost = sum(a > (e.outcome == "goal") for a, e in zip(alone, helped))
    assert gained >= 10 * max(lost, 1)


def test_a_loop_would_repeat_itself(run, react):
    """An episode ends as a loop when the model is about to act on a window it acted
    on before, at the same place. The model is deterministic: replayed from there, it
    writes exactly the turn it wrote the first time."""
    model, end = run["model"], react.ID["</tool>"]
    loops = [e for e in run["runs"]["model alone"] if e.outcome == "loop"]
    assert loops
    for e in loops:
        window = e.ids[-model.window:]
        earlier = next(i for i in range(model.window, len(e.ids))
                       if e.ids[i - model.window:i] == window)
        turn = e.ids[earlier:e.ids.index(end, earlier) + 1]
        replay = react.Episode(e.locked, e.position, list(e.ids), known=set(e.known))
        react.write_actions(model, [replay], verify=False)
        assert replay.ids[len(e.ids):] == turn
