"""Stage 3, reinforcement learning from the reward model: the model writes answers,
the reward model scores them, and the model is pushed towards its better-scored
answers; with and without a penalty for straying from where it started (the KL
penalty). Then DPO on the same comparisons, judged the same way.

Needs reward_model.py, dpo.py and instruction_tuning.py beside it, and the book's tiny
language model, the package snippets/tinylm/ (chapter 6)."""

import copy
import random
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dpo import as_ids, dpo
from instruction_tuning import stage_two, wilson
from reward_model import (
    MAX_NEW_TOKENS,
    QUESTIONS,
    agreement,
    comparisons,
    corpus,
    human_likes,
    instruction,
    judge_score,
    log_probability,
    response,
    sample,
    sign_test,
    split,
    text,
    train_reward_model,
)
from tinylm import generate, load_pretrained

# --8<-- [start:rl]
# RL practises on the 32 questions about the people whom stage 2's instructions never
# mentioned, where its answers are least sure (the comparisons covered all 96)
PRACTICE = [(p, a) for p in corpus.HELD_OUT_PEOPLE for a in corpus.ATTRIBUTES]
PRACTICE_PROMPTS = [instruction(p, a) for p, a in PRACTICE]


def questions_by_length(tokenizer) -> list[list[str]]:
    """The questions in groups of equal length in tokens: each is sampled in one
    batch."""
    by_length = {}
    for prompt in PRACTICE_PROMPTS:
        by_length.setdefault(len(tokenizer.encode(prompt)), []).append(prompt)
    return sorted(by_length.values(), key=len)


@torch.no_grad()
def reference_rewards(reference, tokenizer, reward, n: int = 4) -> dict[str, float]:
    """For each question, the reward model's mean score of n of the reference's
    answers: the level the policy starts from."""
    prompts = PRACTICE_PROMPTS
    answers = sample(reference, tokenizer, prompts, n, torch.Generator().manual_seed(0))
    return {q: reward([q] * n, [text(tokenizer, a) for a in each]).mean().item()
            for q, each in zip(prompts, answers)}


def reinforce(reference, tokenizer, reward, beta: float, start: dict[str, float],
              steps: int = 96, lr: float = 1e-3, questions_per_step: int = 4,
              answers_per_question: int = 8, seed: int = 1, measure_every: int = 12):
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
    history = [(0, 0.0, 0.0, judge_score(policy, tokenizer, PRACTICE))]
    gains, log_ratios = [], []
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
            history.append((step, gain, drift, judge_score(policy, tokenizer, PRACTICE)))
    return policy.eval(), history
# --8<-- [end:rl]


def plot(histories: dict, dpo_history, path: str = "rlhf_overoptimisation.png"):
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    for name, history in histories.items():
        steps, proxy, _, judged = zip(*history)
        left.plot(steps, proxy, "o-", label=name)
        right.plot(steps, judged, "o-", label=name)
    steps, judged = zip(*dpo_history)
    right.plot(steps, judged, "s--", color="grey", label="DPO, no reward model")
    left.set(xlabel="RL step", ylabel="reward gain over the reference",
             title="What RL is trained on", xticks=steps)
    right.set(xlabel="training step", ylabel="judge's expected verdict", ylim=(0, 0.6),
              title="What we actually wanted", xticks=steps)
    left.legend(loc="upper left")
    right.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    pretrained, tokenizer = load_pretrained()
    reference = stage_two(pretrained, tokenizer)  # stage 3 starts from stage 2's model
    pairs = comparisons(reference, tokenizer)
    train_pairs, test_pairs = split(pairs)
    print(f"{len(pairs)} comparisons of answers to {len(QUESTIONS)} questions, e.g.")
    prompt, preferred, rejected = pairs[0]
    print(f"  {prompt!r}: {preferred!r} preferred to {rejected!r}")

    print(f"reward models' agreement with the judge: on the {len(train_pairs)} training "
          f"comparisons; on the {len(test_pairs)} held-out ones (95% interval)")
    rewards, agreed, fitted = {}, {}, []
    for tune, lr in [(False, 0.2), (True, 5e-3)]:  # each with the learning rate it needs
        rewards[tune] = train_reward_model(reference, tokenizer, train_pairs, tune, lr=lr)
        fitted.append(sum(agreement(rewards[tune], train_pairs)))
        agreed[tune] = agreement(rewards[tune], test_pairs)
        low, high = wilson(sum(agreed[tune]), len(test_pairs))
        trained = sum(p.numel() for p in rewards[tune].trained)
        name = "+ last feed-forward network" if tune else "new output layer only"
        print(f"  {name:<28}{trained:7,} numbers: {fitted[-1] / len(train_pairs):4.0%};"
              f" {sum(agreed[tune]) / len(test_pairs):4.0%} ({low:.0%}–{high:.0%})")
    only = [sum(a and not b for a, b in zip(agreed[x], agreed[not x])) for x in (True, False)]
    print(f"  held-out comparisons only the larger model gets right: {only[0]}; "
          f"only the output layer: {only[1]} (sign test: p = {sign_test(*only):.2f})")
    reward = rewards[True]

    start = reference_rewards(reference, tokenizer, reward)
    histories, policies = {}, {}
    for name, beta in [("no KL penalty", 0.0), ("KL penalty, beta = 0.5", 0.5)]:
        policies[name], histories[name] = reinforce(reference, tokenizer, reward, beta, start)
        print(f"RL, {name}:")
        print("  step  reward gain  log pi/pi_ref  judge's verdict")
        for step, proxy, log_ratio, judged in histories[name]:
            print(f"  {step:4d}  {proxy:11.2f}  {log_ratio:13.2f}  {judged:15.3f}")
    policies["DPO"], dpo_history = dpo(reference, tokenizer, train_pairs, PRACTICE)
    print("DPO on the same comparisons, beta = 0.5:")
    print("  step  judge's verdict")
    for step, judged in dpo_history:
        print(f"  {step:4d}  {judged:15.3f}")
    print("  mean probability of the         preferred answers  rejected answers")
    probabilities = {}
    for subset, name in [(train_pairs, "training"), (test_pairs, "held-out")]:
        for model, model_name in [(reference, "reference"), (policies["DPO"], "after DPO")]:
            prompts, preferred, rejected = as_ids(tokenizer, subset)
            probabilities[name, model_name] = [
                log_probability(model, tokenizer, prompts, answers).exp().mean().item()
                for answers in (preferred, rejected)]
            label = f"{name} comparisons, {model_name}"
            print(f"  {label:<32}{probabilities[name, model_name][0]:18.3f}"
                  f"{probabilities[name, model_name][1]:18.4f}")

    for person, attribute in [("Sami", "job"), ("Wen", "pet"), ("Uma", "colour")]:
        who = corpus.person(person)
        question = instruction(who, attribute)
        print(f"{question!r}: greedy answers, the reward model's score, the judge's verdict")
        answers = {"the right answer": response(who, attribute).removesuffix("\n")}
        for name, model in [("reference", reference), *policies.items()]:
            answers[name] = generate(model, tokenizer, question, MAX_NEW_TOKENS)
        scores = reward([question] * len(answers), list(answers.values())).tolist()
        for (name, answer), score in zip(answers.items(), scores):
            liked = human_likes(who, attribute, answer)
            print(f"  {name:>22}: {score:5.2f}  {liked:.0f}  {answer!r}")
    plot(histories, dpo_history)
    # --8<-- [end:main]
