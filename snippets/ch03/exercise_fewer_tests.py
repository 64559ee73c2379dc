"""Exercise: the tester checks only two inputs. What do the pass rates say now?

Needs roles.py beside it.
"""

import random

from roles import HIDDEN_TESTS, TASKS, make_tasks, pass_rates, team

FEW_TESTS = [0, 1]  # the tester's only unit tests

if __name__ == "__main__":
    targets = make_tasks()  # the chapter's 60 tasks
    paired = [team(target, random.Random(i), inputs=FEW_TESTS)
              for i, target in enumerate(targets)]
    visible = pass_rates(paired, targets, FEW_TESTS)
    hidden = pass_rates(paired, targets, HIDDEN_TESTS)
    print(f"share of the {TASKS} tasks passing, by round, "
          "when the tester checks only x = 0 and 1:")
    print("round          " + "".join(f"{r:>5}" for r in range(len(visible))))
    print("its 2 tests    " + "".join(f"{rate:5.2f}" for rate in visible))
    print("hidden tests   " + "".join(f"{rate:5.2f}" for rate in hidden))
