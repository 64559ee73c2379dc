"""Exercise: three copies of one agent discuss. Does the discussion still help?

Needs discussion.py beside it.
"""

import torch

from discussion import QUESTIONS, ROUNDS, discuss, error, make_agent, self_reflection

if __name__ == "__main__":
    torch.manual_seed(0)
    agent = make_agent(QUESTIONS)
    copies = [agent, agent, agent]  # the same chances and the same favourite mistakes
    verdicts, _, agreed = discuss(copies, ROUNDS)
    print("calls   self-reflection   three copies discussing")
    reflection_errors, discussion_errors = [], []
    for round_, verdict in enumerate(verdicts, start=1):
        reflection_errors.append(error(self_reflection(agent, 3 * round_)))
        discussion_errors.append(error(verdict))
        print(f"{3 * round_:>5}   error {reflection_errors[-1]:.3f}       "
              f"error {discussion_errors[-1]:.3f}")
    print(f"the copies agree on {agreed.float().mean():.1%} of the questions")
