"""Handbooks of made-up labs: the chapter's handbook, and as many new ones as we like,
with the same wording and random facts, so that no model can know them in advance."""

import math
import random

# Each passage of the handbook, with the facts left open: {slot}s.
TEMPLATES = [
    "Opening hours: the {lab} Lab building opens at {opens} and closes at {closes} on "
    "weekdays; at weekends only the ground floor is open, from {weekend_opens} to "
    "{weekend_closes}.",
    "GPU server: book time on the shared GPU server in the lab calendar at least one "
    "day ahead; one booking lasts at most {booking_hours} hours.",
    "Library: you may borrow up to {books} books from the lab library for {loan_weeks} "
    "weeks; put them back on the shelf by the door.",
    "Printing: the colour printer on the {printer_floor} floor prints posters up to "
    "{poster_size}; send the file to the print queue and collect the poster the next "
    "morning.",
    "Coffee: the coffee machine in the kitchen is cleaned every {cleaning_day}; empty the "
    "grounds drawer when its light turns red.",
    "Wi-Fi: guests connect to the {guest_network} network; its password changes every "
    "{password_day} and is posted at the reception desk.",
    "Reading group: we meet every {group_day} at {group_time} in room {group_room} to "
    "discuss one paper on language models.",
    "Holidays: the lab closes for the {holiday_weeks} weeks around the Lunar New Year; "
    "the GPU server keeps running, but nobody answers support requests.",
    "Keys: the building manager in room {manager_room} replaces lost keys; a new key "
    "costs {key_price} NT dollars.",
    "Theses: a draft goes to the supervisor {draft_weeks} weeks before the defence, and "
    "the final version {final_weeks} weeks before it.",
]

TIMES = [f"{hour}:00" for hour in range(7, 23)]
COUNTS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ROOMS = [f"{floor}{room:02d}" for floor in range(1, 5) for room in range(1, 9)]
# The values each slot can take.
VALUES = {
    "lab": ["Maple", "Cedar", "Birch", "Willow", "Rowan", "Alder"],
    "opens": TIMES, "closes": TIMES, "weekend_opens": TIMES, "weekend_closes": TIMES,
    "booking_hours": ["4", "6", "8", "12", "24", "48"],
    "books": COUNTS, "loan_weeks": COUNTS,
    "printer_floor": ["first", "second", "third", "fourth", "fifth"],
    "poster_size": ["A0", "A1", "A2", "A3"],
    "cleaning_day": DAYS, "password_day": DAYS, "group_day": DAYS,
    "guest_network": ["MapleGuest", "MapleVisitor", "MapleOpen", "MapleAir"],
    "group_time": TIMES, "group_room": ROOMS, "manager_room": ROOMS,
    "holiday_weeks": COUNTS, "key_price": ["100", "150", "200", "250", "300", "500"],
    "draft_weeks": COUNTS, "final_weeks": COUNTS,
}
# The facts of the chapter's handbook.
MAPLE_LAB = {
    "lab": "Maple",
    "opens": "8:00", "closes": "22:00", "weekend_opens": "10:00", "weekend_closes": "18:00",
    "booking_hours": "12", "books": "five", "loan_weeks": "three", "printer_floor": "second",
    "poster_size": "A0", "cleaning_day": "Friday", "guest_network": "MapleGuest",
    "password_day": "Monday", "group_day": "Thursday", "group_time": "15:00",
    "group_room": "204", "holiday_weeks": "two", "manager_room": "101", "key_price": "200",
    "draft_weeks": "six", "final_weeks": "two",
}


# --8<-- [start:fill]
def random_facts(rng: random.Random) -> dict[str, str]:
    """A new lab: every slot filled at random, independently of the others."""
    return {slot: rng.choice(values) for slot, values in VALUES.items()}


def handbook(facts: dict[str, str]) -> list[str]:
    return [template.format(**facts) for template in TEMPLATES]
# --8<-- [end:fill]


# Each question, with the slot that answers it.
QUESTIONS = {
    "When does the building open on weekdays?": "opens",
    "When does the building close on weekdays?": "closes",
    "When does the ground floor open at weekends?": "weekend_opens",
    "When does the ground floor close at weekends?": "weekend_closes",
    "How many hours can one booking of the GPU server last?": "booking_hours",
    "How many books may I borrow from the library?": "books",
    "For how many weeks may I borrow library books?": "loan_weeks",
    "Which floor is the colour printer on?": "printer_floor",
    "How large a poster can the printer print?": "poster_size",
    "On which day is the coffee machine cleaned?": "cleaning_day",
    "Which network do guests connect to?": "guest_network",
    "On which day does the Wi-Fi password change?": "password_day",
    "On which day does the reading group meet?": "group_day",
    "At what time does the reading group meet?": "group_time",
    "In which room does the reading group meet?": "group_room",
    "For how many weeks does the lab close around the Lunar New Year?": "holiday_weeks",
    "In which room is the building manager?": "manager_room",
    "What does a new key cost?": "key_price",
    "How many weeks before the defence is the thesis draft due?": "draft_weeks",
    "How many weeks before the defence is the final thesis due?": "final_weeks",
}
# --8<-- [start:in_other_words]
# Two more about weekends that never say "weekends": a reader who knows that Saturday is
# a weekend day can answer them from the opening hours, but BM25 matches words.
IN_OTHER_WORDS = {
    "When can I get in on Saturday?": "weekend_opens",
    "Until when can I stay on Sunday?": "weekend_closes",
}
# --8<-- [end:in_other_words]
ALL_QUESTIONS = QUESTIONS | IN_OTHER_WORDS


def passage_of(slot: str) -> int:
    """Which passage of a handbook states the slot's fact."""
    return next(i for i, template in enumerate(TEMPLATES) if "{" + slot + "}" in template)


if __name__ == "__main__":
    # --8<-- [start:main]
    rng = random.Random(0)
    facts = random_facts(rng)
    print(f"the Maple Lab's opening hours, and the {facts['lab']} Lab's:")
    print(handbook(MAPLE_LAB)[0])
    print(handbook(facts)[0])
    for question, slot in list(ALL_QUESTIONS.items())[:4] + list(IN_OTHER_WORDS.items()):
        print(f"{question:<48} Maple: {MAPLE_LAB[slot]:<6} {facts['lab']}: {facts[slot]}")
    print(f"{len(ALL_QUESTIONS)} questions per handbook; "
          f"{math.prod(len(v) for v in VALUES.values()):.1e} possible handbooks")
    # --8<-- [end:main]
