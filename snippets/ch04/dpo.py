"""Stage 3 without a reward model: direct preference optimisation (DPO) on the same
comparisons. The loss raises the log-probability of each preferred answer, relative
to the reference model, above that of the rejected one.

Needs reward_model.py beside it, and the book's tiny language model, the package
snippets/tinylm/ (chapter 6)."""

import copy

import torch
import torch.nn.functional as F

from reward_model import comparisons, judge_score, load_pretrained, log_probability, split


# --8<-- [start:dpo]
def as_ids(tokenizer, pairs):
    """(prompts, preferred ids, rejected ids): each answer with the newline that
    ends it."""
    prompts, preferred, rejected = zip(*pairs)
    encode = lambda answers: [tokenizer.encode(a + "\n") for a in answers]  # noqa: E731
    return list(prompts), encode(preferred), encode(rejected)


@torch.no_grad()
def probabilities(model, tokenizer, pairs) -> tuple[float, float]:
    """The mean probability the model gives the preferred answers, and the rejected
    ones."""
    prompts, preferred, rejected = as_ids(tokenizer, pairs)
    return tuple(log_probability(model, tokenizer, prompts, answers).exp().mean().item()
                 for answers in (preferred, rejected))


def dpo(reference, tokenizer, pairs, beta: float = 2.0, steps: int = 15, lr: float = 5e-4,
        batch: int = 48, seed: int = 0):
    """-log sigmoid(beta * ([log pi(y+) - log pi_ref(y+)] - [log pi(y-) - log
    pi_ref(y-)])), averaged over a batch of comparisons (Rafailov et al., 2023)."""
    policy = copy.deepcopy(reference).train()
    optimizer = torch.optim.Adam(policy.parameters(), lr=lr)
    prompts, preferred, rejected = as_ids(tokenizer, pairs)
    with torch.no_grad():  # the reference's log-probabilities never change
        reference_preferred = log_probability(reference, tokenizer, prompts, preferred)
        reference_rejected = log_probability(reference, tokenizer, prompts, rejected)
    generator = torch.Generator().manual_seed(seed)
    history = [(0, judge_score(reference, tokenizer))]
    for step in range(1, steps + 1):
        rows = torch.randint(len(prompts), (batch,), generator=generator).tolist()
        asked = [prompts[i] for i in rows]
        better = (log_probability(policy, tokenizer, asked, [preferred[i] for i in rows])
                  - reference_preferred[rows])
        worse = (log_probability(policy, tokenizer, asked, [rejected[i] for i in rows])
                 - reference_rejected[rows])
        loss = -F.logsigmoid(beta * (better - worse)).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 5 == 0:
            history.append((step, judge_score(policy, tokenizer)))
    return policy.eval(), history
# --8<-- [end:dpo]


if __name__ == "__main__":
    # --8<-- [start:main]
    reference, tokenizer = load_pretrained()
    # the same comparisons, and the same split, as in reward_model.py
    train_pairs, test_pairs = split(comparisons(reference, tokenizer))
    policy, history = dpo(reference, tokenizer, train_pairs)
    for step, judged in history:
        print(f"step {step:2d}: judge's verdict {judged:.3f}")
    print("mean probability of the      preferred answers   rejected answers")
    for name, pairs in [("training", train_pairs), ("held-out", test_pairs)]:
        for model_name, model in [("reference", reference), ("after DPO", policy)]:
            preferred, rejected = probabilities(model, tokenizer, pairs)
            label = f"{name} pairs, {model_name}"
            print(f"  {label:<26}{preferred:18.3f}{rejected:19.4f}")
    # --8<-- [end:main]
