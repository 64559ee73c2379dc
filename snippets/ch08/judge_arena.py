"""Judges and arenas: a judge learned from people's verdicts inherits their position
and length biases; Bradley-Terry ratings from its battles rank a verbose, less
accurate chatbot first. Judging both orders and controlling for length repair it.

Needs score_noise.py beside it (the chapter's interval rule) and the package
snippets/tinylm/ (chapter 6's model and its committed weights), in the folder above.
"""

import dataclasses
import itertools
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from score_noise import interval
from tinylm import corpus, load_pretrained
from tinylm.evaluate import log_likelihood

QUESTIONS = [(p, a) for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]  # 96
# name: (sampling temperature, share of answers padded with an extra sentence)
CHATBOTS = {"Careful": (0.3, 0.1), "Plain": (1.0, 0.5), "Chatty": (2.0, 0.9),
            "Guesser": (3.0, 0.5)}


# --8<-- [start:answers]
@dataclasses.dataclass
class Answer:
    question: int  # index into QUESTIONS
    value: str  # the value the answer states
    extra: bool  # padded with a second, irrelevant sentence
    text: str

    @property
    def correct(self) -> bool:
        person, attribute = QUESTIONS[self.question]
        return self.value == person.value(attribute)


def beliefs(model, tokenizer) -> torch.Tensor:
    """What the tiny model believes: for each question, the log-probability of each
    of the attribute's 8 values, from the likelihood of the sentence stating it
    (floored at -20): [96, 8]."""
    sentences = [corpus.fact(dataclasses.replace(p, **{a: v}), a)
                 for p, a in QUESTIONS for v, _ in corpus.VALUES[a]]
    scores = torch.tensor(log_likelihood(model, tokenizer, sentences))
    return scores.view(len(QUESTIONS), 8).double().log_softmax(-1).clamp(min=-20)


def answer(q: int, value: str, extra: bool) -> Answer:
    person, attribute = QUESTIONS[q]
    text = corpus.fact(dataclasses.replace(person, **{attribute: value}), attribute)
    if extra:  # a true but irrelevant second sentence
        other = corpus.ATTRIBUTES[(corpus.ATTRIBUTES.index(attribute) + 1) % 4]
        text += " " + corpus.fact(person, other)
    return Answer(q, value, extra, text)


def chatbot_answers(belief, temperature, verbosity, rng) -> list[Answer]:
    """A chatbot's answer to every question: a value sampled from the tiny model's
    beliefs at `temperature`, padded with an extra sentence at rate `verbosity`."""
    out = []
    for q, (_, attribute) in enumerate(QUESTIONS):
        weights = (belief[q] / temperature).softmax(-1).tolist()
        value = rng.choices([v for v, _ in corpus.VALUES[attribute]], weights)[0]
        out.append(answer(q, value, rng.random() < verbosity))
    return out
# --8<-- [end:answers]


# --8<-- [start:judge]
def rater_prefers_first(first: Answer, second: Answer, rng) -> bool:
    """Simulated people (a stand-in, not learned): they mostly prefer the right
    answer, but also longer answers and the one they read first."""
    def utility(a: Answer, shown_first: bool) -> float:
        gumbel = -torch.empty(1).exponential_(generator=rng).log().item()
        return 2.0 * a.correct + 1.0 * a.extra + 0.6 * shown_first + gumbel
    return utility(first, True) > utility(second, False)


def features(belief, pairs, tokenizer) -> torch.Tensor:
    """What the judge reads about each slot of each pair: the tiny model's log-belief
    in the value the answer states, and the answer's length in tokens: [n, 4]."""
    lengths = {}  # answers repeat: tokenize each text once

    def slot(a: Answer):
        values = [v for v, _ in corpus.VALUES[QUESTIONS[a.question][1]]]
        if a.text not in lengths:
            lengths[a.text] = len(tokenizer.encode(a.text))
        return [belief[a.question, values.index(a.value)].item(), lengths[a.text] / 10]
    return torch.tensor([slot(x) + slot(y) for x, y in pairs])


def train_judge(belief, tokenizer, seed: int = 0, n: int = 2000):
    """A judge learned from people's verdicts on pairs of answers to questions about
    the first 16 people: logistic regression on the two slots' features. Returns
    judge(pairs) -> P(the first answer is better) [n]."""
    rng = random.Random(seed)
    generator = torch.Generator().manual_seed(seed)
    pairs = []
    for _ in range(n):
        q = rng.randrange(len(corpus.QA_PEOPLE) * 4)
        values = [v for v, _ in corpus.VALUES[QUESTIONS[q][1]]]
        pairs.append(tuple(answer(q, rng.choice(values), rng.random() < 0.5)
                           for _ in range(2)))
    x = features(belief, pairs, tokenizer)
    y = torch.tensor([float(rater_prefers_first(a, b, generator)) for a, b in pairs])
    weights = torch.zeros(5, requires_grad=True)  # 4 features and a constant
    optimizer = torch.optim.LBFGS([weights], max_iter=100, line_search_fn="strong_wolfe")

    def loss():
        optimizer.zero_grad()
        value = F.binary_cross_entropy_with_logits(x @ weights[:4] + weights[4], y)
        value.backward()
        return value
    optimizer.step(loss)
    w = weights.detach()

    def judge(battle):
        return torch.sigmoid(features(belief, battle, tokenizer) @ w[:4] + w[4])
    judge.weights = w
    return judge
# --8<-- [end:judge]


# --8<-- [start:ratings]
def bradley_terry(players, battles, verdicts, lengths=None) -> dict:
    """Ratings r (mean 0) maximising the likelihood of the verdicts under
    P(i beats j) = sigmoid(r_i - r_j [+ beta * (length_i - length_j)]), as Chatbot
    Arena fits them; with `lengths`, beta soaks up what length alone explains."""
    index = {p: k for k, p in enumerate(players)}
    i = torch.tensor([index[a] for a, _ in battles])
    j = torch.tensor([index[b] for _, b in battles])
    r = torch.zeros(len(players), requires_grad=True)
    beta = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([r, beta], max_iter=200, line_search_fn="strong_wolfe")

    def loss():
        optimizer.zero_grad()
        logit = r[i] - r[j]
        if lengths is not None:
            logit = logit + beta * lengths
        value = F.binary_cross_entropy_with_logits(logit, verdicts) + 1e-4 * r.pow(2).sum()
        value.backward()
        return value
    optimizer.step(loss)
    ratings = (r - r.mean()).detach()
    return {p: ratings[k].item() for p, k in index.items()}
# --8<-- [end:ratings]


def ranking(ratings: dict) -> str:
    return " > ".join(sorted(ratings, key=ratings.get, reverse=True))


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    belief = beliefs(model, tokenizer)
    rng = random.Random(0)
    answers = {name: chatbot_answers(belief, t, v, rng) for name, (t, v) in CHATBOTS.items()}
    arena = range(len(corpus.QA_PEOPLE) * 4, len(QUESTIONS))  # the 8 other people's
    for name, a in answers.items():
        right = torch.tensor([float(a[q].correct) for q in arena])
        padded = sum(a[q].extra for q in arena) / len(arena)
        print(f"{name:<8} right {right.mean():.0%} [{interval(right)[0]:.0%}, "
              f"{interval(right)[1]:.0%}], padded {padded:.0%}")

    judge = train_judge(belief, tokenizer)
    w = judge.weights.tolist()
    print(f"the judge learned: {w[0]:+.2f} per unit of log-belief, {w[4]:+.2f} for being "
          f"first,\n  {w[1]:+.2f} per 10 tokens of the first answer, {w[3]:+.2f} per 10 "
          f"tokens of the second")
    battles = [(x, y) for x, y in itertools.combinations(CHATBOTS, 2) for q in arena]
    shown = [(answers[x][q], answers[y][q]) for x, y in itertools.combinations(CHATBOTS, 2)
             for q in arena]
    p_first = judge(shown)  # x shown first
    p_second = 1 - judge([(b, a) for a, b in shown])  # x shown second
    consistent = ((p_first > 0.5) == (p_second > 0.5)).double()
    print(f"{len(battles)} battles; the judge picks the same answer in both orders in "
          f"{consistent.mean():.0%} [{interval(consistent)[0]:.0%}, "
          f"{interval(consistent)[1]:.0%}]")
    same = [k for k, (a, b) in enumerate(shown) if a.correct == b.correct
            and a.extra != b.extra]
    longer_wins = torch.tensor([float(((p_first[k] + p_second[k]) / 2 > 0.5).item()
                                      == shown[k][0].extra) for k in same])
    print(f"{len(same)} battles of equally right answers of different length: the longer "
          f"wins {longer_wins.mean():.0%} [{interval(longer_wins)[0]:.0%}, "
          f"{interval(longer_wins)[1]:.0%}]")

    truth = torch.tensor([0.5 if a.correct == b.correct else float(a.correct)
                          for a, b in shown])
    length = torch.tensor([(len(tokenizer.encode(a.text)) - len(tokenizer.encode(b.text)))
                           / 10 for a, b in shown])
    one_order = torch.tensor([float(p > 0.5) for p in (
        p_first[k] if k % 2 == 0 else p_second[k] for k in range(len(shown)))])
    both_orders = (p_first + p_second) / 2
    ratings = {
        "truth (right beats wrong)": bradley_terry(list(CHATBOTS), battles, truth),
        "judge, one order (alternating)": bradley_terry(list(CHATBOTS), battles, one_order),
        "judge, both orders": bradley_terry(list(CHATBOTS), battles, both_orders),
        "judge, both orders, length controlled": bradley_terry(
            list(CHATBOTS), battles, both_orders, length),
    }
    for name, r in ratings.items():
        print(f"{name:<38} {ranking(r)}")
    head_to_head = [k for k, (x, y) in enumerate(battles) if (x, y) == ("Careful", "Chatty")]
    for name, verdicts in [("truth", truth), ("judge, both orders", both_orders)]:
        careful = verdicts[head_to_head].double()
        low, high = interval(careful)
        print(f"Careful vs Chatty, {len(head_to_head)} battles, {name}: Careful "
              f"{careful.mean():.0%} [{low:.0%}, {high:.0%}]")
    # --8<-- [end:main]
