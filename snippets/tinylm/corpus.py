"""The tiny model's training text: a small invented world, described in prose.

Twenty-four people, each with a city, a job, a pet and a favourite colour drawn at
random (seeded), so the facts can only be learned by reading them. The text states
every fact in English and in Chinese, in several wordings, and asks and answers
questions about them in one chat format, but only for the people of QA_PEOPLE: the
others (HELD_OUT_PEOPLE) appear in prose alone. A second, disjoint sample of the
same kind of text (`held_out_documents`) measures how well a model predicts text it
never trained on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

NAMES = [  # name, Chinese name, pronoun
    ("Ana", "安娜", "she"), ("Bruno", "布魯諾", "he"), ("Chidi", "奇迪", "he"),
    ("Dara", "達拉", "she"), ("Elif", "艾莉芙", "she"), ("Farid", "法里德", "he"),
    ("Greta", "葛蕾塔", "she"), ("Hiro", "希羅", "he"), ("Ines", "伊內絲", "she"),
    ("Jonas", "約納斯", "he"), ("Kemal", "凱末爾", "he"), ("Lina", "莉娜", "she"),
    ("Mateo", "馬特奧", "he"), ("Nia", "妮婭", "she"), ("Omar", "奧馬爾", "he"),
    ("Priya", "普莉雅", "she"), ("Rosa", "羅莎", "she"), ("Sami", "薩米", "he"),
    ("Tala", "塔拉", "she"), ("Uma", "烏瑪", "she"), ("Viktor", "維克多", "he"),
    ("Wen", "雯", "she"), ("Yara", "雅拉", "she"), ("Zane", "贊恩", "he"),
]
VALUES = {  # each attribute's possible values, in English and in Chinese
    "city": [
        ("Lima", "利馬"), ("Oslo", "奧斯陸"), ("Cairo", "開羅"), ("Quito", "基多"),
        ("Hanoi", "河內"), ("Dakar", "達卡"), ("Lisbon", "里斯本"),
        ("Kyoto", "京都"),
    ],
    "job": [
        ("baker", "麵包師"), ("teacher", "老師"), ("doctor", "醫生"),
        ("farmer", "農夫"), ("pilot", "飛行員"), ("painter", "畫家"),
        ("nurse", "護理師"), ("singer", "歌手"),
    ],
    "pet": [
        ("cat", "貓"), ("dog", "狗"), ("rabbit", "兔子"), ("parrot", "鸚鵡"),
        ("turtle", "烏龜"), ("hamster", "倉鼠"), ("goat", "山羊"),
        ("mouse", "老鼠"),
    ],
    "colour": [
        ("red", "紅色"), ("blue", "藍色"), ("green", "綠色"), ("yellow", "黃色"),
        ("purple", "紫色"), ("orange", "橙色"), ("black", "黑色"),
        ("white", "白色"),
    ],
}
ATTRIBUTES = list(VALUES)

# Sentence templates. {s}: the subject (a name, or she/he), {p}: its possessive
# (Ana's, her, his), {v}: the value. The first English template is the canonical
# one: answers and fact checks use it.
ENGLISH = {
    "city": ["{s} lives in {v}.", "{p} home is in {v}."],
    "job": ["{s} works as a {v}.", "{s} is a {v}."],
    "pet": ["{s} has a {v}.", "{p} pet is a {v}."],
    "colour": ["{p} favourite colour is {v}.", "{s} likes the colour {v}."],
}
CHINESE = {
    "city": ["{s}住在{v}。", "{s}的家在{v}。"],
    "job": ["{s}是{v}。", "{s}的工作是{v}。"],
    "pet": ["{s}養了一隻{v}。", "{s}的寵物是{v}。"],
    "colour": ["{s}最喜歡的顏色是{v}。"],
}
QUESTIONS = {
    "en": {
        "city": "Where does {n} live?",
        "job": "What does {n} do?",
        "pet": "What pet does {n} have?",
        "colour": "What is {n}'s favourite colour?",
    },
    "zh": {
        "city": "{n}住在哪裡？",
        "job": "{n}做什麼工作？",
        "pet": "{n}養了什麼寵物？",
        "colour": "{n}最喜歡什麼顏色？",
    },
}
CHAT = {"en": ("Q: ", "A: "), "zh": ("問：", "答：")}  # the chat format's two turns

SEED = 0
TRAINING_ROUNDS = 24  # how many times the training text describes each person
QA_SHARE = 2 / 3  # the first two-thirds of the people get questions and answers


@dataclass(frozen=True)
class Person:
    name: str
    name_zh: str
    pronoun: str  # "she" or "he"
    city: str
    job: str
    pet: str
    colour: str

    def value(self, attribute: str, language: str = "en") -> str:
        english = getattr(self, attribute)
        return english if language == "en" else dict(VALUES[attribute])[english]


def world(seed: int = SEED) -> list[Person]:
    """The people and their attributes, each value drawn at random."""
    rng = random.Random(seed)
    return [
        Person(name, zh, pronoun, *(rng.choice(VALUES[a])[0] for a in ATTRIBUTES))
        for name, zh, pronoun in NAMES
    ]


PEOPLE = world()
QA_PEOPLE = PEOPLE[: round(len(PEOPLE) * QA_SHARE)]  # asked about in the chat
HELD_OUT_PEOPLE = PEOPLE[len(QA_PEOPLE) :]  # described in prose only


def person(name: str) -> Person:
    return next(p for p in PEOPLE if p.name == name)


def fact(person: Person, attribute: str, language="en", template=0) -> str:
    """One sentence stating one fact: "Ana lives in Lisbon." (or in Chinese)."""
    value = person.value(attribute, language)
    if language == "en":
        form = ENGLISH[attribute][template]
        return form.format(s=person.name, p=person.name + "'s", v=value)
    return CHINESE[attribute][template].format(s=person.name_zh, v=value)


def fact_prompt(person: Person, attribute: str, language="en") -> tuple[str, str]:
    """The canonical sentence cut before its value: ("Ana lives in", "Lisbon")."""
    sentence = fact(person, attribute, language)
    value = person.value(attribute, language)
    return sentence[: sentence.index(value)].rstrip(" "), value


def question(person: Person, attribute: str, language: str = "en") -> str:
    """The prompt of the chat format: "Q: Where does Ana live?\\nA:" (no space
    after the colon)."""
    name = person.name if language == "en" else person.name_zh
    asked, answers = CHAT[language]
    text = QUESTIONS[language][attribute].format(n=name)
    return f"{asked}{text}\n{answers.rstrip()}"


def answer(person: Person, attribute: str, language: str = "en") -> str:
    """What follows the question: " Ana lives in Lisbon." (a newline ends it)."""
    return (" " if language == "en" else "") + fact(person, attribute, language)


def _prose(person: Person, rng: random.Random, language: str) -> str:
    """A short paragraph about one person: two or three facts, in random order and
    wording; after the first sentence the person is mostly called she or he."""
    templates = ENGLISH if language == "en" else CHINESE
    pronoun = person.pronoun
    possessive = {"she": "Her", "he": "His"}[pronoun]
    pronoun_zh = {"she": "她", "he": "他"}[pronoun]
    sentences = []
    for i, attribute in enumerate(rng.sample(ATTRIBUTES, rng.randint(2, 3))):
        form = rng.choice(templates[attribute])
        by_name = i == 0 or rng.random() < 0.25
        if language == "en":
            s = person.name if by_name else pronoun.capitalize()
            p = person.name + "'s" if by_name else possessive
        else:
            s = p = person.name_zh if by_name else pronoun_zh
        sentences.append(form.format(s=s, p=p, v=person.value(attribute, language)))
    return (" " if language == "en" else "").join(sentences)


def _chat(person: Person, attribute: str) -> str:
    return question(person, attribute) + answer(person, attribute)


def _documents(rng: random.Random, rounds: int) -> list[str]:
    """Every round: an English and a Chinese paragraph about each person, and one
    question with its answer about each person of QA_PEOPLE; shuffled."""
    documents = []
    for _ in range(rounds):
        for p in PEOPLE:
            documents.append(_prose(p, rng, "en"))
            documents.append(_prose(p, rng, "zh"))
        for p in QA_PEOPLE:
            documents.append(_chat(p, rng.choice(ATTRIBUTES)))
    rng.shuffle(documents)
    return documents


def training_documents() -> list[str]:
    """The training text's documents, in order."""
    return _documents(random.Random(SEED), TRAINING_ROUNDS)


def pretraining_text() -> str:
    """The training text: a document per line (a question and answer take two)."""
    return "\n".join(training_documents()) + "\n"


def held_out_documents(rounds: int = 3) -> list[str]:
    """More documents of the same kind, drawn afresh; none is in the training
    text."""
    seen = set(training_documents())
    return [d for d in _documents(random.Random(SEED + 1), rounds) if d not in seen]


def held_out_text(rounds: int = 3) -> str:
    return "\n".join(held_out_documents(rounds)) + "\n"
