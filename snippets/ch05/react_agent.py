"""A language-model agent in the style of ReAct: a small model, trained on transcripts of
the replanning agent, writes Thought and Action lines; the program parses each Action as
a tool call (chapter 3's format), runs it, and writes the Observation back.

Needs grid_agent.py (this chapter's first example) beside it."""

import random
import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import torch
from torch import nn

from grid_agent import (
    DOORS,
    GOAL,
    SIZE,
    STEP,
    a_star,
    is_wall,
    neighbours,
    random_world,
    wilson,
)

# --8<-- [start:tools]
CALL = re.compile(r"<tool>(?P<name>\w+): (?P<argument>.*?)</tool>")  # chapter 3's format
MOVES = {"north": (-1, 0), "south": (1, 0), "west": (0, -1), "east": (0, 1)}


def perceive(position, locked) -> str:
    """What the agent sees where it stands: its cell, and any locked door beside it."""
    seen = [f"door {r} {c} is locked" for r, c in neighbours(position) if (r, c) in locked]
    return ", ".join([f"at {position[0]} {position[1]}", *seen])


@cache  # the same question gets the same answer: ask A* once
def plan_tool(position, known_locked: frozenset) -> str:
    """A* as a tool: the shortest route to the goal that avoids the doors the agent has
    seen locked, answered with its first waypoint (the next door, or the goal)."""
    route = a_star(position, GOAL, known_locked)
    if route is None:
        return "no route"
    r, c = next((cell for cell in route if cell in DOORS), GOAL)
    return f"waypoint {r} {c}"


def move_tool(position, direction, locked):
    """One step; a wall or a locked door leaves the agent where it is."""
    dr, dc = MOVES[direction]
    target = (position[0] + dr, position[1] + dc)
    if is_wall(target):
        return position, "blocked by a wall"
    if target in locked:
        return position, "blocked by a locked door"
    return target, perceive(target, locked)
# --8<-- [end:tools]


# --8<-- [start:expert]
def toward(position, waypoint) -> str:
    """The first move of a shortest way to a waypoint in the same room or its wall: to
    a door in a wall that runs east-west, line up the column first, else the row."""
    (r, c), (wr, wc) = position, waypoint
    columns_first = wr % STEP == 0 and wc % STEP != 0
    if (columns_first and c != wc) or r == wr:
        return "east" if wc > c else "west"
    return "south" if wr > r else "north"


def expert_transcript(locked, start) -> str:
    """The transcript the replanning agent would write: ask the planner for a waypoint,
    head for it, ask again on reaching it or on seeing it locked."""
    text = f"Task: from {start[0]} {start[1]} reach {GOAL[0]} {GOAL[1]}\n"
    position, waypoint, known = start, None, set()
    while position != GOAL:
        known |= {cell for cell in neighbours(position) if cell in locked}  # perceive
        if waypoint is None or position == waypoint or waypoint in known:
            result = plan_tool(position, frozenset(known))
            waypoint = tuple(int(n) for n in result.split()[1:])
            text += (f"Thought: plan\n"
                     f"Action: <tool>plan: {position[0]} {position[1]}</tool>\n")
        else:
            direction = toward(position, waypoint)
            position, result = move_tool(position, direction, locked)
            text += (f"Thought: go to {waypoint[0]} {waypoint[1]}\n"
                     f"Action: <tool>move: {direction}</tool>\n")
        text += f"Observation: <result>{result}</result>\n"
    return text
# --8<-- [end:expert]


# --8<-- [start:model]
TOKEN = re.compile(r"</?tool>|</?result>|\w+:|\w+|,|\n")
WORDS = ("Task: from reach Thought: plan go to Action: <tool> </tool> move: plan: "
         "Observation: <result> </result> at door is locked , waypoint no route blocked "
         "by a wall error: not tool call " + " ".join(MOVES))
VOCABULARY = ["\n", *WORDS.split(), *(str(n) for n in range(SIZE))]


ID = {token: i for i, token in enumerate(VOCABULARY)}


def tokenize(text: str) -> list[int]:
    return [ID[token] for token in TOKEN.findall(text)]


def detokenize(ids: list[int]) -> str:
    text = " ".join(VOCABULARY[i] for i in ids).replace(" \n ", "\n").replace(" \n", "\n")
    for tight in ("<tool> ", " </tool>", "<result> ", " </result>", " ,"):
        text = text.replace(tight, tight.strip())
    return text


class WindowModel(nn.Module):
    """A feed-forward language model: it scores the next token from the last `window`
    tokens (chapter 6 sets this kind of model beside the Transformer)."""

    def __init__(self, window: int = 24, hidden: int = 40, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)
        self.window = window
        self.embed = nn.Embedding(len(VOCABULARY), 8)
        self.score = nn.Sequential(
            nn.Linear(window * 8, hidden), nn.Tanh(), nn.Linear(hidden, len(VOCABULARY))
        )
        self.double()  # float64: the same trained model on every CPU

    def forward(self, contexts):  # contexts: [batch, window] token ids
        return self.score(self.embed(contexts).flatten(1))  # [batch, vocabulary]

    def context(self, ids: list[int]) -> list[int]:
        """The last `window` tokens, padded on the left with "\\n" (token 0)."""
        return [0] * (self.window - len(ids)) + ids[-self.window:]


def written_by_agent(text: str) -> list[bool]:
    """For each token: does the agent write it (Thought and Action lines)?"""
    flags, writing = [], False
    for token in TOKEN.findall(text):
        writing = writing or token == "Thought:"
        flags.append(writing)
        writing = writing and token != "</tool>"
    return flags


def train(model, transcripts, steps: int = 400, batch: int = 256, seed: int = 0):
    """Next-token prediction on the tokens the agent writes; it only reads the rest."""
    contexts, targets = [], []
    for text in transcripts:
        ids = tokenize(text)
        padded = torch.tensor([0] * model.window + ids)
        windows = padded.unfold(0, model.window, 1)[: len(ids)]  # [tokens, window]
        learn = torch.tensor(written_by_agent(text))
        contexts.append(windows[learn])
        targets.append(torch.tensor(ids)[learn])
    contexts, targets = torch.cat(contexts), torch.cat(targets)  # [pairs, window], [pairs]
    generator = torch.Generator().manual_seed(seed)
    parameters = list(model.parameters())
    mean = [torch.zeros_like(p) for p in parameters]
    square = [torch.zeros_like(p) for p in parameters]
    for step in range(1, steps + 1):
        i = torch.randint(len(targets), (batch,), generator=generator)
        loss = nn.functional.cross_entropy(model(contexts[i]), targets[i])
        gradients = torch.autograd.grad(loss, parameters)
        with torch.no_grad():  # Adam, written out: torch.optim would first load PyTorch's
            for p, g, m, v in zip(parameters, gradients, mean, square):  # compiler (slow)
                m.lerp_(g, 0.1)
                v.lerp_(g * g, 0.001)
                p -= 0.01 * (m / (1 - 0.9**step)) / ((v / (1 - 0.999**step)).sqrt() + 1e-8)
    return model.eval()
# --8<-- [end:model]


# --8<-- [start:loop]
@dataclass
class Episode:
    locked: frozenset  # the world: which doors are locked
    position: tuple
    ids: list  # the transcript so far, as token ids
    known: set = field(default_factory=set)  # the locked doors it has seen
    outcome: str = ""  # "goal", "loop" or "out of actions", once it ends
    actions: int = 0
    invalid: int = 0  # actions that could not be carried out
    caught: int = 0  # invalid moves the verifier replaced
    replans: int = 0  # plans the loop detector asked for
    moves: list = field(default_factory=list)  # per move: did it bring the goal closer?
    seen: set = field(default_factory=set)  # (window, position) before each action
    turn: int = 0  # where the agent's latest Thought starts in `ids`


@torch.no_grad()
def write_actions(model, episodes, verify: bool, most: int = 12):
    """The model writes, greedily, up to the end of its tool call, in a batch of
    episodes at once. With `verify`, a move into a wall or into a door the agent has
    seen locked is replaced by the legal direction the model scores highest."""
    end, move = ID["</tool>"], ID["move:"]
    open_ = list(episodes)
    for _ in range(most):
        if not open_:
            break
        windows = np.array([model.context(e.ids) for e in open_])  # faster than torch.tensor
        scores = model(torch.from_numpy(windows))  # [open episodes, vocabulary]
        for row, (e, token) in enumerate(zip(open_, scores.argmax(-1).tolist())):
            if verify and e.ids[-1] == move:
                legal = [ID[d] for d in MOVES if is_legal(e, d)]
                if token not in legal:
                    token = max(legal, key=lambda i: scores[row, i])
                    e.caught += 1
            e.ids.append(token)
        open_ = [e for e in open_ if e.ids[-1] != end]


def is_legal(e: Episode, direction: str) -> bool:
    """The verifier's check: the floor plan, and the doors the agent has seen locked."""
    dr, dc = MOVES[direction]
    target = (e.position[0] + dr, e.position[1] + dc)
    return not is_wall(target) and target not in e.known


def act(e: Episode) -> str:
    """Parse the tool call the agent wrote this turn and run it; what the tool returns
    is the Observation."""
    e.actions += 1
    call = CALL.search(detokenize(e.ids[e.turn:]))
    if call is not None and call["name"] == "plan":
        cell = tuple(int(n) for n in re.findall(r"\d+", call["argument"]))
        if len(cell) != 2 or is_wall(cell):
            e.invalid += 1
            return "error: not a tool call"
        return plan_tool(cell, frozenset(e.known))  # planned from where it says it is
    to_go = distances_to_goal(frozenset(e.known))  # to judge the move afterwards
    before = e.position
    if call is None or call["name"] != "move" or call["argument"] not in MOVES:
        result = "error: not a tool call"
    else:
        e.position, result = move_tool(e.position, call["argument"], e.locked)
    e.invalid += e.position == before
    e.moves.append(to_go.get(e.position) == to_go[before] - 1)
    return result


def run_agents(model, worlds, verify=False, replan=False, max_actions=60):
    """The ReAct loop for a batch of (locked doors, start) worlds. The model is
    deterministic: a window it has acted on before, at the same place, means that it
    is going round in circles. Without `replan` that ends the episode as a loop; with
    it, the program writes a call to the planner in the agent's place."""
    episodes = []
    for locked, start in worlds:
        task = f"Task: from {start[0]} {start[1]} reach {GOAL[0]} {GOAL[1]}\n"
        episodes.append(Episode(locked, start, tokenize(task)))
    active = list(episodes)
    while active:
        writing = []
        for e in active:
            e.turn = len(e.ids)
            e.known |= {cell for cell in neighbours(e.position) if cell in e.locked}
            state = (tuple(e.ids[-model.window:]), e.position)
            if state not in e.seen:
                e.seen.add(state)
                writing.append(e)
            elif replan:
                r, c = e.position
                e.ids += tokenize(f"Thought: plan\nAction: <tool>plan: {r} {c}</tool>")
                e.replans += 1
            else:
                e.outcome = "loop"
        write_actions(model, writing, verify)
        for e in active:
            if not e.outcome:
                e.ids += tokenize(f"\nObservation: <result>{act(e)}</result>\n")
                if e.position == GOAL:
                    e.outcome = "goal"
                elif e.actions == max_actions:
                    e.outcome = "out of actions"
        active = [e for e in active if not e.outcome]
    return episodes
# --8<-- [end:loop]


# --8<-- [start:measure]
@cache
def distances_to_goal(known_locked: frozenset) -> dict:
    """Steps from each cell to the goal avoiding the doors known to be locked
    (breadth-first search from the goal): the judge of each move."""
    distance, frontier = {GOAL: 0}, [GOAL]
    for cell in frontier:  # the list grows as the loop reads it
        for nxt in neighbours(cell):
            if nxt not in distance and not is_wall(nxt) and nxt not in known_locked:
                distance[nxt] = distance[cell] + 1
                frontier.append(nxt)
    return distance


def share(k: int, n: int, digits: int = 0) -> str:
    """k/n as a percentage, with its 95% Wilson interval."""
    low, high = wilson(k, n)
    return f"{k}/{n} = {k / n:.{digits}%} [{low:.{digits}%}, {high:.{digits}%}]"


def compounding(episodes):
    """Wrong moves (ones that bring the goal no closer) counted separately before and
    after each episode's first wrong move."""
    before = after = wrong_after = 0
    for e in episodes:
        first = e.moves.index(False) if False in e.moves else len(e.moves)
        before += first
        after += len(e.moves) - first - (first < len(e.moves))
        wrong_after += e.moves[first + 1:].count(False)
    first_wrong = sum(False in e.moves for e in episodes)
    return (first_wrong, before + first_wrong), (wrong_after, after)


def worlds(seeds, p_locked: float = 0.3):
    """Random worlds, each with a random start in a room, from which the goal can be
    reached."""
    rooms = [(r, c) for r in range(SIZE) for c in range(SIZE)
             if not is_wall((r, c)) and (r, c) not in DOORS and (r, c) != GOAL]
    found = []
    for seed in seeds:
        locked = random_world(p_locked, seed)
        start = random.Random(seed).choice(rooms)
        if a_star(start, GOAL, locked) is not None:
            found.append((locked, start))
    return found
# --8<-- [end:measure]


if __name__ == "__main__":
    torch.set_num_threads(1)  # a model this small runs fastest on one thread
    # --8<-- [start:main]
    teachers = worlds(range(10_000, 10_400))  # worlds for training, none shared with tests
    transcripts = [expert_transcript(locked, start) for locked, start in teachers]
    model = train(WindowModel(), transcripts)
    written = sum(sum(written_by_agent(text)) for text in transcripts)
    tests = worlds(range(300))
    print(f"trained on {len(transcripts)} transcripts ({written} tokens the agent writes); "
          f"tested in {len(tests)} new worlds")
    runs = {
        "model alone": run_agents(model, tests),
        "+ verifier": run_agents(model, tests, verify=True),
        "+ verifier + replanning": run_agents(model, tests, verify=True, replan=True),
    }
    print(f"{'agent':24} {'reached the goal (95% CI)':26} {'loops':>5} {'invalid actions':>17}")
    for name, episodes in runs.items():
        reached = sum(e.outcome == "goal" for e in episodes)
        loops = sum(e.outcome == "loop" for e in episodes)
        invalid, actions = sum(e.invalid for e in episodes), sum(e.actions for e in episodes)
        print(f"{name:24} {share(reached, len(episodes)):26} {loops:5} "
              f"{invalid:6}/{actions} = {invalid / actions:.1%}")
    alone = [e.outcome == "goal" for e in runs["model alone"]]
    for name in list(runs)[1:]:
        helped = [e.outcome == "goal" for e in runs[name]]
        gained = sum(h > a for a, h in zip(alone, helped))
        lost = sum(a > h for a, h in zip(alone, helped))
        print(f"{name:24} in the same worlds: reached {gained} the model alone did not, "
              f"missed {lost} it did")

    (wrong, moves), (wrong_after, moves_after) = compounding(runs["model alone"])
    print("\nmodel alone: moves that bring the goal no closer")
    print(f"  up to the first such move in an episode  {share(wrong, moves, 1)}")
    print(f"  after it                                 {share(wrong_after, moves_after)}")

    went_well = min((e for e in runs["model alone"] if e.outcome == "goal"
                     and "is locked</result>\nThought: plan" in detokenize(e.ids)),
                    key=lambda e: e.actions)
    print("\nan episode that went well:\n" + detokenize(went_well.ids).strip())
    looped = min((e for e in runs["model alone"] if e.outcome == "loop"), key=lambda e: e.actions)
    print("\nan episode that ended in a loop:\n" + detokenize(looped.ids).strip())
    # --8<-- [end:main]
