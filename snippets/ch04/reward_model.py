"""Stage 3, the reward model: a stand-in for a human judge, learned from pairs of
answers of which the judge preferred one (the Bradley-Terry model).

Needs the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

MAX_NEW_TOKENS = 10  # an answer is one short sentence


# --8<-- [start:human]
QUESTIONS = [(p, a) for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]  # 24 people x 4


def human_likes(person, attribute, answer: str) -> float:
    """The judge whose taste we want the model to learn, and who is too slow to ask
    about every answer: it likes exactly the right answer, " Ana lives in Lisbon.",
    and nothing else."""
    return float(answer == corpus.answer(person, attribute))
# --8<-- [end:human]


# --8<-- [start:sample]
@torch.no_grad()
def sample(model, tokenizer, prompts: list[str], n: int, generator):
    """n answers to each prompt, sampled at temperature 1, as token ids up to and
    including the newline that ends an answer. Prompts of the same length in tokens
    are sampled together, in one batch with a key-value cache."""
    newline = tokenizer.encode("\n")[0]
    answers: list[list[list[int]]] = [[] for _ in prompts]
    by_length: dict[int, list[int]] = {}
    for i, prompt in enumerate(prompts):
        by_length.setdefault(len(tokenizer.encode(prompt)), []).append(i)
    for group in by_length.values():
        ids = torch.tensor([tokenizer.encode(prompts[i]) for i in group for _ in range(n)])
        cache = model.new_cache()
        logits = model(ids, cache=cache)[:, -1]  # [len(group) * n, vocab]
        written, finished = [], torch.zeros(len(ids), dtype=torch.bool)
        for _ in range(MAX_NEW_TOKENS):
            # sample each row's token: the first whose cumulative probability passes a
            # uniform random number (torch.multinomial does the same, more slowly)
            cumulative = logits.softmax(-1).cumsum(-1)  # [rows, vocab]
            uniform = torch.rand(len(ids), 1, generator=generator)  # [rows, 1]
            token = (cumulative < uniform).sum(-1, keepdim=True)  # [rows, 1]
            token = token.clamp(max=logits.shape[-1] - 1)  # (in case of rounding)
            token[finished] = newline  # a finished answer only pads
            written.append(token)
            finished |= token[:, 0] == newline
            if finished.all():
                break
            logits = model(token, cache=cache)[:, -1]
        for row, tokens in enumerate(torch.cat(written, 1).tolist()):
            end = tokens.index(newline) + 1 if newline in tokens else len(tokens)
            answers[group[row // n]].append(tokens[:end])
    return answers


def text(tokenizer, answer_ids: list[int]) -> str:
    return tokenizer.decode(answer_ids).removesuffix("\n")


def log_probability(model, tokenizer, prompts: list[str], answers: list[list[int]]):
    """log p(answer | prompt) of each answer's tokens, summed: [n] (with gradients).
    """
    rows = [tokenizer.encode(q) + a for q, a in zip(prompts, answers)]
    longest = max(map(len, rows))
    ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])  # [n, longest]
    log_p = model(ids[:, :-1]).log_softmax(-1)  # [n, longest - 1, vocab]
    log_p = log_p.gather(2, ids[:, 1:, None])[..., 0]  # [n, longest - 1]: each token's
    mask = torch.zeros_like(log_p)
    for i, a in enumerate(answers):
        start = len(rows[i]) - len(a) - 1  # the position predicting the answer's start
        mask[i, start : start + len(a)] = 1
    return (log_p * mask).sum(1)


@torch.no_grad()
def judge_score(model, tokenizer) -> float:
    """The judge's expected verdict on an answer sampled from the model, averaged
    over all questions: it likes only the right answer, so this is the probability
    of writing it."""
    prompts = [corpus.question(p, a) for p, a in QUESTIONS]
    right = [tokenizer.encode(corpus.answer(p, a) + "\n") for p, a in QUESTIONS]
    return log_probability(model, tokenizer, prompts, right).exp().mean().item()
# --8<-- [end:sample]


# --8<-- [start:pairs]
def comparisons(model, tokenizer, n: int = 24, seed: int = 0):
    """The preference data: for every question, n answers sampled from the model;
    the judge compares the right one (if it was sampled) with each different wrong
    one. Returns (question, preferred answer, rejected answer) triples."""
    generator = torch.Generator().manual_seed(seed)
    prompts = [corpus.question(p, a) for p, a in QUESTIONS]
    pairs = []
    for (person, attribute), prompt, sampled in zip(
        QUESTIONS, prompts, sample(model, tokenizer, prompts, n, generator)
    ):
        answers = [text(tokenizer, ids) for ids in sampled]
        liked = [x for x in sorted(set(answers)) if human_likes(person, attribute, x)]
        disliked = [x for x in sorted(set(answers))
                    if not human_likes(person, attribute, x)]
        pairs += [(prompt, liked[0], worse) for worse in disliked if liked]
    return pairs
# --8<-- [end:pairs]


# --8<-- [start:model]
class RewardModel(nn.Module):
    """The pretrained model, frozen, with a new output layer of one number: the
    reward. It reads question + answer + newline and scores the last position's
    vector."""

    def __init__(self, language_model, tokenizer):
        super().__init__()
        self.body, self.tokenizer = language_model, tokenizer
        dtype = next(language_model.parameters()).dtype  # float32, or float64 in RL
        self.head = nn.Linear(language_model.config.d_model, 1, dtype=dtype)

    @torch.no_grad()
    def features(self, prompts: list[str], answers: list[str]):
        rows = [self.tokenizer.encode(q + a + "\n") for q, a in zip(prompts, answers)]
        longest = max(map(len, rows))
        ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])  # [n, longest]
        _, hidden = self.body(ids, return_hidden=True)
        last = self.body.final_norm(hidden[-1])  # [n, longest, d_model]
        return last[torch.arange(len(rows)), [len(r) - 1 for r in rows]]  # [n, d_model]

    def forward(self, prompts: list[str], answers: list[str]):
        return self.head(self.features(prompts, answers))[:, 0]  # [n]


def train_reward_model(model, tokenizer, pairs, steps=300, lr=0.05, seed=0):
    """Bradley-Terry: P(preferred beats rejected) = sigmoid(r(preferred) -
    r(rejected)); maximise the log-probability of the judge's choices. Then shift
    and scale the reward so that the answers it was trained on score 0 on average,
    with standard deviation 1."""
    torch.manual_seed(seed)
    reward = RewardModel(model, tokenizer)
    prompts, preferred, rejected = zip(*pairs)
    # [pairs, d_model] each: computed once, as only the head learns
    better = reward.features(list(prompts), list(preferred))
    worse = reward.features(list(prompts), list(rejected))
    optimizer = torch.optim.Adam(reward.head.parameters(), lr=lr)
    for _ in range(steps):
        margin = (reward.head(better) - reward.head(worse))[:, 0]  # [pairs]
        loss = -F.logsigmoid(margin).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():  # a shift and a scale change no comparison's outcome
        scores = reward.head(torch.cat([better, worse]))[:, 0]
        reward.head.bias.sub_(scores.mean()).div_(scores.std())
        reward.head.weight.div_(scores.std())
    return reward.eval()


@torch.no_grad()
def agreement(reward, pairs) -> float:
    """How often the reward model ranks the pair as the judge did."""
    prompts, preferred, rejected = (list(x) for x in zip(*pairs))
    return (reward(prompts, preferred) > reward(prompts, rejected)).float().mean().item()
# --8<-- [end:model]


def split(pairs, held_out: float = 0.25, seed: int = 0):
    """Shuffle the comparisons and keep a share of them aside to test on."""
    pairs = list(pairs)
    random.Random(seed).shuffle(pairs)
    cut = round(len(pairs) * (1 - held_out))
    return pairs[:cut], pairs[cut:]


if __name__ == "__main__":
    # --8<-- [start:main]
    reference, tokenizer = load_pretrained()
    pairs = comparisons(reference, tokenizer)
    train_pairs, test_pairs = split(pairs)
    print(f"{len(pairs)} comparisons from {len(QUESTIONS)} questions, e.g.")
    prompt, preferred, rejected = pairs[0]
    print(f"  {prompt!r}: {preferred!r} preferred to {rejected!r}")

    reward = train_reward_model(reference, tokenizer, train_pairs)
    trainable = sum(p.numel() for p in reward.head.parameters())
    print(f"reward model: {trainable} trainable numbers on the frozen pretrained model")
    print(f"agrees with the judge on {agreement(reward, train_pairs):.0%} of the "
          f"{len(train_pairs)} training comparisons")
    print(f"agrees with the judge on {agreement(reward, test_pairs):.0%} of the "
          f"{len(test_pairs)} held-out comparisons")

    ana = corpus.person("Ana")
    question = corpus.question(ana, "pet")
    candidates = [" Ana has a cat.", " Ana has a dog.", " Ines has a cat.",
                  " Ana lives in Lisbon.", " Ana has a cat. Ana has a cat."]
    scores = reward([question] * len(candidates), candidates)
    print(f"rewards for answers to {question!r}:")
    for answer, score in sorted(zip(candidates, scores.tolist()), key=lambda x: -x[1]):
        judged = human_likes(ana, "pet", answer)
        print(f"  {score:6.2f}  {answer!r}  (judge: {judged:.0f})")
    # --8<-- [end:main]
