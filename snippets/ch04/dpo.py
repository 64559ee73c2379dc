"""Stage 3 without a reward model: direct preference optimisation (DPO) on the judge's
comparisons. The loss raises the log-probability of each preferred answer, relative
to the reference model, above that of the rejected one. rlhf.py runs it beside RL;
this file's own run shows the loss and how hard it pushes on one comparison.

Needs reward_model.py and instruction_tuning.py beside it, and the book's tiny
language model, the package snippets/tinylm/ (chapter 6)."""

import copy

import torch
import torch.nn.functional as F

from reward_model import judge_score, log_probability


# --8<-- [start:dpo]
def dpo_loss(policy_preferred, policy_rejected, reference_preferred, reference_rejected,
             beta: float):
    """-log sigmoid(beta * ([log pi(y+) - log pi_ref(y+)] - [log pi(y-) - log
    pi_ref(y-)])), averaged over comparisons (Rafailov et al., 2023). Each argument:
    [n] log-probabilities of whole answers."""
    margin = (policy_preferred - reference_preferred) - (policy_rejected - reference_rejected)
    return -F.logsigmoid(beta * margin).mean()


def as_ids(tokenizer, pairs):
    """(prompts, preferred ids, rejected ids): each answer with the newline that
    ends it."""
    prompts, preferred, rejected = zip(*pairs)
    encode = lambda answers: [tokenizer.encode(a + "\n") for a in answers]  # noqa: E731
    return list(prompts), encode(preferred), encode(rejected)


def dpo(reference, tokenizer, pairs, judged, beta: float = 0.5, steps: int = 96,
        lr: float = 5e-4, batch: int = 16, seed: int = 1, measure_every: int = 12):
    """Train a copy of the reference on batches of comparisons; every few steps, the
    judge's verdict on the questions `judged`. Returns the policy and [(step,
    verdict), ...]."""
    # float32: DPO samples nothing, so no last bit can change what it learns from
    policy = copy.deepcopy(reference).float().train()
    optimizer = torch.optim.Adam(policy.parameters(), lr=lr)
    prompts, preferred, rejected = as_ids(tokenizer, pairs)
    with torch.no_grad():  # the reference's log-probabilities never change
        reference_preferred = log_probability(reference, tokenizer, prompts, preferred).float()
        reference_rejected = log_probability(reference, tokenizer, prompts, rejected).float()
    generator = torch.Generator().manual_seed(seed)
    history = [(0, judge_score(reference, tokenizer, judged))]
    for step in range(1, steps + 1):
        rows = torch.randint(len(prompts), (batch,), generator=generator).tolist()
        asked = [prompts[i] for i in rows]
        answers = [preferred[i] for i in rows] + [rejected[i] for i in rows]
        log_p = log_probability(policy, tokenizer, asked + asked, answers)  # [2 * batch]
        loss = dpo_loss(log_p[:batch], log_p[batch:], reference_preferred[rows],
                        reference_rejected[rows], beta)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % measure_every == 0:
            history.append((step, judge_score(policy, tokenizer, judged)))
    return policy.eval(), history
# --8<-- [end:dpo]


if __name__ == "__main__":
    # --8<-- [start:main]
    # One comparison. The policy's log-probabilities of its two answers, relative to the
    # reference's: their difference is the margin, beta times it the implicit reward gap.
    beta = 0.5
    print("margin  loss   how hard a step pushes (the gradient's size, over beta)")
    for margin in [-4.0, -2.0, 0.0, 2.0, 4.0]:
        preferred = torch.tensor([margin], requires_grad=True)  # log pi(y+) - log pi_ref(y+)
        loss = dpo_loss(preferred, torch.zeros(1), torch.zeros(1), torch.zeros(1), beta)
        loss.backward()
        print(f"{margin:6.1f}  {loss.item():.3f}  {-preferred.grad.item() / beta:.3f}")
    # --8<-- [end:main]
