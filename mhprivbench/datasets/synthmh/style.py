"""Per-author writing style: casing, end punctuation, emoji, typos, habitual spellings and pet phrases.

A style is sampled once per author and applied to every literal the author writes, so authorship is
learnable from character n-grams the way it is in real forums.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (form in the phrase banks, the author's habitual spelling); an author adopts a few of these
HABITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("because", ("bc", "cuz", "becuase", "coz")),
    ("though", ("tho", "thou")),
    ("really", ("rly", "realy", "reallyyy")),
    ("you", ("u", "ya")),
    ("your", ("ur", "youre")),
    ("I'm", ("im", "Im", "I’m")),
    ("don't", ("dont", "don’t")),
    ("can't", ("cant", "can’t")),
    ("didn't", ("didnt",)),
    ("going to", ("gonna",)),
    ("want to", ("wanna",)),
    ("probably", ("prob", "probly")),
    ("definitely", ("definately", "def", "defo")),
    ("a lot", ("alot", "loads")),
    ("people", ("ppl", "folks")),
    ("with", ("w/", "wiht")),
    ("about", ("abt", "bout")),
    ("tonight", ("tonite", "2night")),
    ("tomorrow", ("tmrw", "tomoz")),
    ("something", ("smth", "somethin")),
    ("and", ("&", "+", "n")),
    ("okay", ("ok", "k", "okie")),
    ("just", ("jus", "literally just")),
    ("so", ("sooo", "soo")),
    ("feel", ("feeel", "fee")),
    ("really tired", ("knackered", "wiped")),
    ("mom", ("mum", "mama", "ma")),
    ("friends", ("mates", "frens")),
    ("I think", ("i reckon", "I feel like", "imo")),
    ("very", ("super", "v", "proper")),
)
PREFIX_PETS = ("honestly", "tbh", "ngl", "ok so", "like", "anyway", "so yeah", "idk", "real talk", "fwiw",
               "ugh", "well", "basically", "lowkey", "funny enough", "not gonna lie", "to be fair", "oof",
               "literally", "god", "sigh", "the thing is", "look", "hmm")
SUFFIX_PETS = ("lol", "haha", "idk", "you know?", "i guess", "or whatever", "smh", "lmao", "ya know", "fr",
               "tbh", "if that makes sense", "hah", "ugh", "send help", "yikes", "go figure", "rip", "oh well",
               "lolol", "heh", "…", "anyway", "sorry")
EMOJI = ("🙂", "😔", "😢", "😭", "🙃", "😩", "💀", "❤️", "💙", "🖤", "✨", "🌧️", "🌸", "😅", "🥲", "😬", "🤷",
         "🙏", "😞", "😴", "☕", "🌿", "🐾", "💔", ":)", ":(", ":/", "<3", ":-)", ";)", "xD", "^^")
END_SETS = ((".",), (".",), (".", ".", "!"), ("",), ("", "."), ("...",), ("...", "."), ("!",), ("!!", "."),
            (".", "?"), ("..",), (" .",))
TOPICS = ("work", "sleep", "family", "food", "weather", "commute", "pets", "tv", "chores", "fitness", "gaming",
          "music", "garden", "kids", "school", "money", "reading", "cooking", "sports", "crafts")


@dataclass(frozen=True, slots=True)
class Style:
    lower: bool
    ends: tuple[str, ...]
    sep: str
    emoji: tuple[str, ...]
    emoji_rate: float
    typo_rate: float
    habits: tuple[tuple[str, str], ...]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    pet_rate: float
    n_sent: int
    para_rate: float
    topics: tuple[str, ...]
    tag_rate: float
    sign_rate: float
    sign_format: int
    phone_format: int
    date_format: int
    age_format: int
    name_lower: bool
    misspell_rate: float


def sample_style(rng: random.Random) -> Style:
    lower = rng.random() < 0.3
    habits = tuple((form, rng.choice(options)) for form, options in rng.sample(HABITS, rng.randint(2, 7)))
    has_emoji = rng.random() < 0.55
    return Style(
        lower=lower,
        ends=rng.choice(END_SETS),
        sep=rng.choice((" ", " ", " ", " ", "  ", "\n")),
        emoji=tuple(rng.sample(EMOJI, rng.randint(1, 3))) if has_emoji else (),
        emoji_rate=rng.uniform(0.1, 0.5) if has_emoji else 0.0,
        typo_rate=rng.choice((0.0, 0.0, 0.05, 0.1, 0.2, 0.35)),
        habits=habits,
        prefixes=tuple(rng.sample(PREFIX_PETS, rng.randint(1, 3))),
        suffixes=tuple(rng.sample(SUFFIX_PETS, rng.randint(1, 3))),
        pet_rate=rng.uniform(0.05, 0.45),
        n_sent=rng.randint(3, 8),
        para_rate=rng.choice((0.0, 0.0, 0.15, 0.3)),
        topics=tuple(rng.sample(TOPICS, 3)),
        tag_rate=rng.uniform(0.2, 0.9),
        sign_rate=rng.uniform(0.2, 0.9),
        sign_format=rng.randrange(8),
        phone_format=rng.randrange(7),
        date_format=rng.randrange(8),
        age_format=rng.randrange(7),
        name_lower=lower and rng.random() < 0.7,
        misspell_rate=rng.choice((0.0, 0.0, 0.0, 0.1, 0.25)),
    )


NEUTRAL_STYLE = Style(
    lower=False, ends=(".",), sep=" ", emoji=(), emoji_rate=0.0, typo_rate=0.0, habits=(), prefixes=(),
    suffixes=(), pet_rate=0.0, n_sent=4, para_rate=0.0, topics=("work", "sleep", "family"), tag_rate=0.5,
    sign_rate=0.5, sign_format=0, phone_format=0, date_format=0, age_format=0, name_lower=False,
    misspell_rate=0.0,
)


def _typo(text: str, rng: random.Random) -> str:
    """Swap two adjacent letters, drop one or double one, somewhere inside a word."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    a, b = text[i], text[i + 1]
    if not (a.isalpha() and b.isalpha()):
        return text
    move = rng.random()
    if move < 0.5:
        return text[:i] + b + a + text[i + 2:]
    if move < 0.75:
        return text[:i] + text[i + 1:]
    return text[:i] + a + text[i:]


def apply_style(style: Style, text: str, rng: random.Random) -> str:
    """Restyle a literal chunk written by this author."""
    padded = f" {text} "
    for form, habit in style.habits:
        if form in padded:
            padded = padded.replace(f" {form} ", f" {habit} ").replace(f" {form},", f" {habit},")
    text = padded[1:-1]
    if style.typo_rate and rng.random() < style.typo_rate:
        text = _typo(text, rng)
    return text.lower() if style.lower else text
