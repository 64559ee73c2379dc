"""Discussion versus self-reflection: agents whose errors differ correct each other."""

import torch

QUESTIONS = 20_000
OPTIONS = 5  # answers 0..4; answer 0 is the right one
ACCURACY = 0.6  # p: how often an agent's answer is right, on average
BIAS = 0.4  # rho: how much an agent's answers to one question share their errors
ROUNDS = 4


# --8<-- [start:agent]
def make_agent(questions: int, p: float = ACCURACY, rho: float = BIAS):
    """A simulated agent. For each question it has its own chance q of answering right
    (q ~ Beta with mean p; rho is the correlation of its answers to one question) and
    its own favourite wrong answer, which it gives whenever it is wrong."""
    total = 1 / rho - 1
    right = torch.distributions.Beta(p * total, (1 - p) * total).sample((questions,))
    favourite_mistake = torch.randint(1, OPTIONS, (questions,))
    return right, favourite_mistake  # [questions], [questions]


def ask(agent):
    """One call to the agent: an answer to every question."""
    right, favourite_mistake = agent
    is_right = torch.rand(len(right)) < right
    return torch.where(is_right, torch.zeros_like(favourite_mistake), favourite_mistake)
# --8<-- [end:agent]


# --8<-- [start:reflection]
def self_reflection(agent, calls: int):
    """One agent answers again and again: each answer a fresh sample with the same agent's
    chance of being right and its favourite mistake (the earlier answers do not sway it);
    in the end it settles on the answer it gave most often (its first one in a tie)."""
    answers = torch.stack([ask(agent) for _ in range(calls)], dim=1)  # [questions, n]
    counts = torch.nn.functional.one_hot(answers, OPTIONS).sum(dim=1)  # [questions, 5]
    first = answers[:, 0]
    first_count = counts.gather(1, first[:, None]).squeeze(1)  # [questions]
    most = counts.max(dim=1).values
    return torch.where(first_count == most, first, counts.argmax(dim=1))
# --8<-- [end:reflection]


# --8<-- [start:discussion]
def judge(answers):
    """The judge reads the final answers [questions, agents]: an answer held by a
    majority wins; with no majority, the first agent's answer stands."""
    first, second, third = answers.unbind(dim=1)
    return torch.where(second == third, second, first)


def discuss(agents, rounds: int):
    """Each agent answers alone; then, each round, it reads the others' answers. If the
    other two agree, it is persuaded; if it agrees with one of them, it keeps its
    answer; if all three differ, it thinks again (a fresh answer of its own).
    Returns the judge's verdict after each round and the calls made."""
    answers = torch.stack([ask(agent) for agent in agents], dim=1)  # [questions, 3]
    verdicts, calls = [judge(answers)], [len(agents)]
    for _ in range(rounds - 1):
        agreed = (answers == answers[:, :1]).all(dim=1)  # the judge stops these
        updated = answers.clone()
        for i, agent in enumerate(agents):
            own = answers[:, i]
            a, b = (answers[:, j] for j in range(len(agents)) if j != i)
            fresh = ask(agent)
            keep = (own == a) | (own == b)
            updated[:, i] = torch.where(a == b, a, torch.where(keep, own, fresh))
        answers = torch.where(agreed[:, None], answers, updated)
        verdicts.append(judge(answers))
        calls.append(calls[-1] + len(agents) * (1 - agreed.float().mean().item()))
    return verdicts, calls, (answers == answers[:, :1]).all(dim=1)
# --8<-- [end:discussion]


def error(answers) -> float:
    return (answers != 0).float().mean().item()


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    agents = [make_agent(QUESTIONS) for _ in range(3)]  # three independent agents
    verdicts, calls, agreed = discuss(agents, ROUNDS)
    print(f"{QUESTIONS} questions, {OPTIONS} options; an agent is right with "
          f"p = {ACCURACY} on average,\nand its answers to one question are "
          f"correlated (rho = {BIAS})")
    print(f"one agent, one answer:              error {error(ask(agents[0])):.3f}")
    print("calls per question   self-reflection   discussion of three")
    reflection_errors, discussion_errors = [], []
    for round_, (verdict, used) in enumerate(zip(verdicts, calls), start=1):
        reflection = self_reflection(agents[0], 3 * round_)
        reflection_errors.append(error(reflection))
        discussion_errors.append(error(verdict))
        print(f"{3 * round_:>7}  (round {round_})      "
              f"error {reflection_errors[-1]:.3f}       "
              f"error {discussion_errors[-1]:.3f}  ({used:.1f} calls with the judge)")
    print(f"after {ROUNDS} rounds the three agree on {agreed.float().mean():.1%} "
          f"of the questions")
    # --8<-- [end:main]
