"""Stage 3, reinforcement learning from the reward model: the model writes answers,
the reward model scores them, and the model is pushed towards its better-scored
answers; with and without a penalty for straying from where it started (the KL
penalty).

Needs reward_model.py beside it, and the book's tiny language model, the package
snippets/tinylm/ (chapter 6)."""

import copy
import random
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reward_model import (
    MAX_NEW_TOKENS,
    QUESTIONS,
    comparisons,
    corpus,
    judge_score,
    load_pretrained,
    log_probability,
    sample,
    split,
    text,
    train_reward_model,
)
from tinylm import generate


# --8<-- [start:rl]
def questions_by_length(tokenizer) -> list[list[str]]:
    """The questions in groups of equal length in tokens: each is sampled in one
    batch."""
    by_length = {}
    for person, attribute in QUESTIONS:
        prompt = corpus.question(person, attribute)
        by_length.setdefault(len(tokenizer.encode(prompt)), []).append(prompt)
    return sorted(by_length.values(), key=len)


@torch.no_grad()
def reference_rewards(reference, tokenizer, reward, n: int = 6) -> dict[str, float]:
    """For each question, the reward model's mean score of n of the reference's
    answers: the level the policy starts from."""
    prompts = [corpus.question(p, a) for p, a in QUESTIONS]
    answers = sample(reference, tokenizer, prompts, n, torch.Generator().manual_seed(0))
    return {q: reward([q] * n, [text(tokenizer, a) for a in each]).mean().item()
            for q, each in zip(prompts, answers)}


def reinforce(reference, tokenizer, reward, beta: float, start: dict[str, float],
              steps: int = 24, lr: float = 2.5e-3, questions_per_step: int = 8,
              answers_per_question: int = 5, seed: int = 1, measure_every: int = 4):
    """Policy-gradient RL (REINFORCE with the mean reward of each question's answers
    as the baseline). Each answer's reward is the reward model's score minus beta
    times how much more likely the policy makes it than the reference does: log
    pi(y) - log pi_ref(y), whose average is the KL divergence of the policy from the
    reference. start: reference_rewards(), the reward model's mean score of the
    reference's answers. Returns the policy and, every few steps, (step, how much
    more the reward model likes the policy's answers than the reference's, mean log
    pi/pi_ref, the judge's verdict), the first two averaged over the steps since the
    last report."""
    policy = copy.deepcopy(reference).train()
    optimizer = torch.optim.Adam(policy.parameters(), lr=lr)
    generator, rng = torch.Generator().manual_seed(seed), random.Random(seed)
    groups = questions_by_length(tokenizer)
    history, gains, log_ratios = [(0, 0.0, 0.0, judge_score(policy, tokenizer))], [], []
    for step in range(1, steps + 1):
        group = rng.choices(groups, weights=[len(g) for g in groups])[0]
        asked = rng.sample(group, min(questions_per_step, len(group)))
        n = answers_per_question
        sampled = sample(policy, tokenizer, asked, n, generator)
        answers = [a for each in sampled for a in each]  # token ids, n per question
        repeated = [q for q in asked for _ in range(n)]  # the question of each answer
        log_p = log_probability(policy, tokenizer, repeated, answers)  # [rows]
        with torch.no_grad():
            scores = reward(repeated, [text(tokenizer, a) for a in answers])  # [rows]
            log_ratio = log_p - log_probability(reference, tokenizer, repeated, answers)
            total = (scores - beta * log_ratio).view(len(asked), n)
            # better or worse than the average answer to the same question?
            advantage = (total - total.mean(1, keepdim=True)).flatten()
        loss = -(advantage * log_p).mean()  # raise the log-probability of better answers
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        gains.append(scores.mean().item() - sum(start[q] for q in asked) / len(asked))
        log_ratios.append(log_ratio.mean().item())
        if step % measure_every == 0:
            gain = sum(gains[-measure_every:]) / measure_every
            drift = sum(log_ratios[-measure_every:]) / measure_every
            history.append((step, gain, drift, judge_score(policy, tokenizer)))
    return policy.eval(), history
# --8<-- [end:rl]


def plot(histories: dict, path: str = "rlhf_overoptimisation.png"):
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    for name, history in histories.items():
        steps, proxy, _, judged = zip(*history)
        left.plot(steps, proxy, "o-", label=name)
        right.plot(steps, judged, "o-", label=name)
    left.set(xlabel="RL step", ylabel="reward gain over the reference",
             title="What the policy is trained on")
    right.set(xlabel="RL step", ylabel="judge's expected verdict", ylim=(0, 1),
              title="What we actually wanted")
    left.legend()
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    reference, tokenizer = load_pretrained()
    # RL amplifies the last bits in which CPUs differ (a sampled token flips, and every
    # step after it changes); in float64 those bits lie far beyond any printed digit.
    reference = reference.double()
    train_pairs, _ = split(comparisons(reference, tokenizer))  # as in reward_model.py
    reward = train_reward_model(reference, tokenizer, train_pairs)

    start = reference_rewards(reference, tokenizer, reward)
    histories, policies = {}, {}
    for name, beta in [("no KL penalty", 0.0), ("KL penalty, beta = 2", 2.0)]:
        policy, histories[name] = reinforce(reference, tokenizer, reward, beta, start)
        policies[name] = policy
        print(f"{name}:")
        print("  step  reward gain  log pi/pi_ref  judge's verdict")
        for step, proxy, log_ratio, judged in histories[name]:
            print(f"  {step:4d}  {proxy:11.2f}  {log_ratio:13.2f}  {judged:15.3f}")

    for person, attribute in [("Ana", "pet"), ("Bruno", "city"), ("Greta", "job")]:
        question = corpus.question(corpus.person(person), attribute)
        print(f"{question!r}, greedy answers:")
        for name, model in [("reference", reference), *policies.items()]:
            answer = generate(model, tokenizer, question, MAX_NEW_TOKENS)
            print(f"  {name:>20}: {answer!r}")
    plot(histories)
    # --8<-- [end:main]
