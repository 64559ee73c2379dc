"""Exercise: PPO's clipped objective (Schulman et al., 2017), the policy-gradient loss
InstructGPT used, written from its formula and checked against rlhf.py's plain one.

Needs reward_model.py and instruction_tuning.py (this chapter's examples) beside it,
and the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import torch

from reward_model import QUESTIONS, log_probability, sample, text
from tinylm import corpus, load_pretrained


def ppo_clip_loss(log_p, log_p_old, advantage, epsilon: float = 0.2):
    """-mean(min(ratio * A, clip(ratio, 1 - epsilon, 1 + epsilon) * A)), where
    ratio = pi(y) / pi_old(y) for answers sampled from pi_old. All arguments: [n]."""
    ratio = (log_p - log_p_old).exp()
    clipped = ratio.clamp(1 - epsilon, 1 + epsilon)
    return -torch.min(ratio * advantage, clipped * advantage).mean()


if __name__ == "__main__":
    # 1. One answer: the objective, and its slope in log pi, as the ratio moves.
    print("ratio  advantage  objective  slope")
    for advantage in [1.0, -1.0]:
        for ratio in [0.5, 0.9, 1.0, 1.1, 1.5]:
            log_p = torch.tensor([ratio], dtype=torch.float64).log().requires_grad_()
            loss = ppo_clip_loss(log_p, torch.zeros(1, dtype=torch.float64),
                                 torch.tensor([advantage], dtype=torch.float64))
            loss.backward()
            slope = -log_p.grad.item() + 0.0  # (+ 0.0 turns -0.0 into 0.0)
            print(f"{ratio:5.1f}  {advantage:9.0f}  {-loss.item():9.2f}  {slope:5.2f}")

    # 2. The tiny model, before its first step (pi = pi_old): PPO's gradient and
    # REINFORCE's, -mean(advantage * log pi), on the same sampled answers to chat
    # questions ("Q: Where does Ana live?\nA:"); the reward: 1 for the right answer.
    model, tokenizer = load_pretrained()
    model = model.double()
    asked, n = QUESTIONS[:8], 4
    prompts = [corpus.question(p, a) for p, a in asked]
    sampled = sample(model, tokenizer, prompts, n, torch.Generator().manual_seed(0))
    answers = [a for each in sampled for a in each]
    repeated = [q for q in prompts for _ in range(n)]
    liked = torch.tensor([float(text(tokenizer, a) == corpus.answer(p, attribute))
                          for (p, attribute), each in zip(asked, sampled) for a in each],
                         dtype=torch.float64)
    advantage = liked - liked.mean()
    gradients = {}
    for name in ["PPO-clip", "REINFORCE"]:
        model.zero_grad()
        log_p = log_probability(model, tokenizer, repeated, answers)  # [rows]
        if name == "PPO-clip":
            loss = ppo_clip_loss(log_p, log_p.detach(), advantage)
        else:
            loss = -(advantage * log_p).mean()
        loss.backward()
        gradients[name] = torch.cat([p.grad.flatten() for p in model.parameters()])
    difference = (gradients["PPO-clip"] - gradients["REINFORCE"]).abs().max()
    size = gradients["REINFORCE"].abs().max()
    print(f"{len(answers)} sampled answers, {int(liked.sum())} of them right; the two "
          f"gradients agree to 1e-12 of their size: {bool(difference < 1e-12 * size)}")
