"""Stage 3, the reward model: a stand-in for a human judge, learned from pairs of
answers of which the judge preferred one (the Bradley-Terry model). Stage 3 starts
from stage 2's model (instruction_tuning.stage_two): the comparisons are between its
answers, and the reward model is built on it; rlhf.py trains it and measures it. This
file's own run shows the Bradley-Terry model on its own, on made-up scores.

Needs instruction_tuning.py beside it, and the book's tiny language model, the package
snippets/tinylm/ (chapter 6)."""

import copy
import math
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from instruction_tuning import instruction, response
from tinylm import corpus

MAX_NEW_TOKENS = 12  # an answer is one short sentence: the longest right one has 12


# --8<-- [start:human]
QUESTIONS = [(p, a) for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]  # 24 people x 4
PROMPTS = [instruction(p, a) for p, a in QUESTIONS]  # "Ana: where does she live?\nA:"


def human_likes(person, attribute, answer: str) -> float:
    """The judge whose taste we want the model to learn, and who is too slow to ask
    about every answer: it likes exactly the right answer, " She lives in Lisbon.",
    and nothing else."""
    return float(answer + "\n" == response(person, attribute))
# --8<-- [end:human]


# --8<-- [start:sample]
@torch.no_grad()
def sample(model, tokenizer, prompts: list[str], n: int, generator):
    """n answers to each prompt, sampled at temperature 1, as token ids up to and
    including the newline that ends an answer. Prompts of the same length in tokens
    are sampled together: one pass reads them, and their key-value cache is copied
    n times."""
    newline = tokenizer.encode("\n")[0]
    answers: list[list[list[int]]] = [[] for _ in prompts]
    by_length: dict[int, list[int]] = {}
    for i, prompt in enumerate(prompts):
        by_length.setdefault(len(tokenizer.encode(prompt)), []).append(i)
    for group in by_length.values():
        cache = model.new_cache()
        ids = torch.tensor([tokenizer.encode(prompts[i]) for i in group])  # [prompts, t]
        logits = model(ids, cache=cache)[:, -1].repeat_interleave(n, 0)  # [rows, vocab]
        for layer in cache:  # each prompt's keys and values, once for each answer
            layer["k"], layer["v"] = (layer[x].repeat_interleave(n, 0) for x in "kv")
        written, finished = [], torch.zeros(len(logits), dtype=torch.bool)
        for _ in range(MAX_NEW_TOKENS):
            # sample each row's token: the first whose cumulative probability passes a
            # uniform random number (torch.multinomial does the same, more slowly)
            cumulative = logits.softmax(-1).cumsum(-1)  # [rows, vocab]
            uniform = torch.rand(len(logits), 1, generator=generator, dtype=logits.dtype)
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


def final_vectors(model, ids):
    """What the model computes before its output layer (as TinyLM.forward does):
    [n, t, d_model] for ids [n, t]."""
    x = model.token_embedding(ids) + model.position_embedding.weight[: ids.shape[1]]
    for block in model.blocks:
        x = block(x)  # [n, t, d_model]
    return model.final_norm(x)


def log_probability(model, tokenizer, prompts: list[str], answers: list[list[int]]):
    """log p(answer | prompt) of each answer's tokens, summed: [n] (with gradients).
    The output layer runs only at the positions that predict an answer's token."""
    rows = [tokenizer.encode(q) + a for q, a in zip(prompts, answers)]
    longest = max(map(len, rows))
    ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])  # [n, longest]
    predicts = torch.zeros(len(rows), longest - 1, dtype=torch.bool)  # [n, longest - 1]
    for i, a in enumerate(answers):
        start = len(rows[i]) - len(a) - 1  # the position predicting the answer's start
        predicts[i, start : start + len(a)] = True
    vectors = final_vectors(model, ids[:, :-1])[predicts]  # [answer tokens, d_model]
    log_p = model.head(vectors).log_softmax(-1)  # [answer tokens, vocab]
    token_log_p = log_p.gather(1, ids[:, 1:][predicts][:, None])[:, 0]  # [answer tokens]
    row_of_token = predicts.nonzero()[:, 0]  # [answer tokens]
    return torch.zeros(len(rows), dtype=log_p.dtype).index_add(0, row_of_token, token_log_p)


@torch.no_grad()
def judge_score(model, tokenizer, questions) -> float:
    """The judge's expected verdict on an answer sampled from the model, averaged
    over these (person, attribute) questions: it likes only the right answer, so
    this is the probability of writing it."""
    prompts = [instruction(p, a) for p, a in questions]
    right = [tokenizer.encode(response(p, a)) for p, a in questions]
    return log_probability(model, tokenizer, prompts, right).exp().mean().item()
# --8<-- [end:sample]


# --8<-- [start:pairs]
def comparisons(model, tokenizer, n: int = 16, seed: int = 0):
    """The preference data: for every question, n answers sampled from the model;
    the judge compares the right one (if it was sampled) with each different wrong
    one. Returns (question, preferred answer, rejected answer) triples."""
    generator = torch.Generator().manual_seed(seed)
    pairs = []
    for (person, attribute), prompt, sampled in zip(
        QUESTIONS, PROMPTS, sample(model, tokenizer, PROMPTS, n, generator)
    ):
        answers = sorted({text(tokenizer, ids) for ids in sampled})
        liked = [x for x in answers if human_likes(person, attribute, x)]
        disliked = [x for x in answers if not human_likes(person, attribute, x)]
        pairs += [(prompt, liked[0], worse) for worse in disliked if liked]
    return pairs
# --8<-- [end:pairs]


def split(pairs, held_out: float = 0.25, seed: int = 0):
    """Shuffle the comparisons and keep a share of them aside to test on."""
    pairs = list(pairs)
    random.Random(seed).shuffle(pairs)
    cut = round(len(pairs) * (1 - held_out))
    return pairs[:cut], pairs[cut:]


# --8<-- [start:model]
class RewardModel(nn.Module):
    """Stage 2's model, frozen, with a new output layer of one number, the reward,
    read at the last position of question + answer + newline. Optionally the last
    block's feed-forward network (with its layer norm, and the final one) is a
    trainable copy too: it works on each position alone, so on the last one only."""

    def __init__(self, language_model, tokenizer, tune_last_feed_forward: bool = True):
        super().__init__()
        self.body, self.tokenizer = language_model, tokenizer
        last = language_model.blocks[-1]
        self.norm, self.feed_forward = copy.deepcopy(last.norm2), copy.deepcopy(last.feed_forward)
        self.final_norm = copy.deepcopy(language_model.final_norm)
        dtype = next(language_model.parameters()).dtype  # float64 for stage 3
        self.head = nn.Linear(language_model.config.d_model, 1, dtype=dtype)
        copies = [self.norm, self.feed_forward, self.final_norm]
        for part in copies:
            part.requires_grad_(tune_last_feed_forward)
        tuned = [self.head, *copies] if tune_last_feed_forward else [self.head]
        self.trained = [p for part in tuned for p in part.parameters()]

    @torch.no_grad()
    def features(self, prompts: list[str], answers: list[str]):
        """The frozen part: the last block's vector at the last position, after its
        attention and before its feed-forward network: [n, d_model]."""
        rows = [self.tokenizer.encode(q + a + "\n") for q, a in zip(prompts, answers)]
        longest = max(map(len, rows))
        ids = torch.tensor([r + [0] * (longest - len(r)) for r in rows])  # [n, longest]
        x = self.body.token_embedding(ids) + self.body.position_embedding.weight[:longest]
        for block in self.body.blocks[:-1]:
            x = block(x)  # [n, longest, d_model]
        last = self.body.blocks[-1]
        x = x + last.attention(last.norm1(x))  # [n, longest, d_model]
        return x[torch.arange(len(rows)), [len(r) - 1 for r in rows]]  # [n, d_model]

    def score(self, x):  # x: [n, d_model] from features()
        x = x + self.feed_forward(self.norm(x))  # the rest of the last block
        return self.head(self.final_norm(x))[:, 0]  # [n]

    def forward(self, prompts: list[str], answers: list[str]):
        return self.score(self.features(prompts, answers))


def bradley_terry_loss(margin):
    """-log P(the judge's choice) = -log sigmoid(r(preferred) - r(rejected))."""
    return -F.logsigmoid(margin).mean()


def train_reward_model(model, tokenizer, pairs, tune_last_feed_forward=True, steps=60,
                       lr=5e-3, seed=0):
    """Fit the reward model to the judge's choices. Then shift and scale the reward
    so that the answers it was trained on score 0 on average, with standard
    deviation 1."""
    torch.manual_seed(seed)
    reward = RewardModel(model, tokenizer, tune_last_feed_forward)
    prompts, preferred, rejected = (list(x) for x in zip(*pairs))
    # [pairs, d_model] each: the frozen part, computed once
    better = reward.features(prompts, preferred)
    worse = reward.features(prompts, rejected)
    optimizer = torch.optim.Adam(reward.trained, lr=lr)
    for _ in range(steps):
        loss = bradley_terry_loss(reward.score(better) - reward.score(worse))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():  # a shift and a scale change no comparison's outcome
        scores = reward.score(torch.cat([better, worse]))
        reward.head.bias.sub_(scores.mean()).div_(scores.std())
        reward.head.weight.div_(scores.std())
    return reward.eval()


@torch.no_grad()
def agreement(reward, pairs) -> list[bool]:
    """For each comparison, whether the reward model ranks it as the judge did."""
    prompts, preferred, rejected = (list(x) for x in zip(*pairs))
    return (reward(prompts, preferred) > reward(prompts, rejected)).tolist()
# --8<-- [end:model]


def sign_test(wins: int, losses: int) -> float:
    """Two models judged on the same comparisons, where only one is right: if both were
    equally good, each would be a fair coin's toss. The two-sided p-value: how often
    a fair coin splits wins + losses tosses at least this unevenly."""
    n, fewer = wins + losses, min(wins, losses)
    return min(1.0, 2 * sum(math.comb(n, k) for k in range(fewer + 1)) / 2**n)


def fit_scores(preferred, rejected, n_items: int, steps: int = 300):
    """The Bradley-Terry model on its own: one score per item, fitted to comparisons
    (item indices [n], the preferred and the rejected of each), shifted to mean 0."""
    scores = torch.zeros(n_items, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([scores], lr=0.1)
    for _ in range(steps):
        loss = bradley_terry_loss(scores[preferred] - scores[rejected])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return (scores - scores.mean()).detach()


if __name__ == "__main__":
    # --8<-- [start:main]
    # Five answers with hidden scores, and a judge who prefers one to another with
    # probability sigmoid(difference of their scores). Do its choices alone give the
    # scores back? (rlhf.py trains the reward model above on stage 2's answers.)
    hidden = torch.tensor([1.5, 0.5, 0.0, -0.5, -1.5], dtype=torch.float64)
    generator = torch.Generator().manual_seed(0)
    first, second = torch.randint(len(hidden), (2, 400), generator=generator)
    first, second = first[first != second], second[first != second]  # [n] each
    first_wins = torch.rand(len(first), generator=generator, dtype=torch.float64) < (
        torch.sigmoid(hidden[first] - hidden[second]))
    preferred = torch.where(first_wins, first, second)
    rejected = torch.where(first_wins, second, first)
    learned = fit_scores(preferred, rejected, len(hidden))
    print(f"{len(preferred)} comparisons of {len(hidden)} answers")
    print("answer  hidden score  learned score  wins")
    for i in range(len(hidden)):
        wins = int((preferred == i).sum())
        print(f"{i:6d}  {hidden[i]:12.1f}  {learned[i]:13.2f}  {wins:4d}")
    # --8<-- [end:main]
