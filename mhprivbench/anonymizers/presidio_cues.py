"""Cue-word rules for names, places and organisations in mental-health text (used by ``presidio_recognizers``;
plain Python, no presidio import). General rules, not tuned to an evaluation set:

- intake-form fields: a line "Name: ...", "Preferred name:", "Emergency contact:", "Referred by:" (PERSON),
  "City:", "Town:" (LOCATION), "Employer:", "School:", "Employer/school:" (ORGANIZATION), "Address:" (the street part
  ADDRESS, what follows its first comma LOCATION), "Age:" (AGE), "Date of birth:" (DATE_TIME), "Gender:" (GENDER),
  "Occupation:" (OCCUPATION); values in any case;
- people: a capitalised name after a title ("Dr. Okafor" -> "Okafor"), after "named" / "called", before ", my
  <relation>" in mid-sentence; a name in any case after a relation word ("my therapist Anna", "my sister, kate",
  "my ex sam") or in a greeting or sign-off ("hi, mara here", a line "- jo, leeds": the place is a LOCATION);
- organisations: capitalised words ending in a sector word ("Leeds General Infirmary", "Parkside Diner"), "University
  of X", a capitalised name after "work at" / "job at" / "employed by", lower-case names with a sector word after
  "at" / "for" ("at northgate care home");
- places: after "live in", "moved to", "grew up in", "walked around", or "from" in a self-description ("I'm from
  Leeds", "I'm 34M from Leeds"); lower case only when some word of it is not an ordinary English word;
- signatures and self-introductions that carry an age or a place ("Hugo (33)", "xo kate (28F)", a closing line
  "- peter, halifax", "i'm sage, 26, from ..."): the name (any case) and the age;
- a street without a house number where someone lives ("I live off Oak Ct") as ADDRESS;
- occupations after "work as a", "at <employer> as a", "I'm a <job> at / in <Name>" (a noun phrase cut at its first
  stop word, no adverbs or adjective-only words).

A lower-case name is accepted only when it is not a stop word, a month or weekday, or an ordinary English verb,
adjective or adverb (inflected forms included): ``Lexicon`` reads spaCy's lemmatizer tables (WordNet word lists)
when the model has them; without them lower-case names are not accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

Cue = tuple[int, int, str, float]  # (start, end, entity, score)

_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec")
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_TITLES = "dr doctor mr mrs ms miss mx prof professor nurse"
NOT_NAMES = frozenset(STOP_WORDS) | frozenset(re.findall(r"\S+", (
    f"{_MONTHS} {_DAYS} {_TITLES} today tonight tomorrow yesterday god christmas easter i'm im ok okay yes no hi hey lol")))


@dataclass
class Lexicon:
    """Ordinary English words by part of speech (``words``: pos -> set), irregular forms (``forms``: pos -> form ->
    lemmas) and suffix rules (``rules``: pos -> [(old, new)]), from spaCy's rule lemmatizer tables."""

    words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    forms: Mapping[str, frozenset[str]] = field(default_factory=dict)
    rules: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @classmethod
    def from_nlp(cls, nlp) -> Lexicon:
        if "lemmatizer" not in nlp.component_names:
            return cls()
        lookups = nlp.get_pipe("lemmatizer").lookups
        if not all(lookups.has_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules")):
            return cls()
        pos_of = {nlp.vocab.strings.add(p): p for p in ("noun", "verb", "adj", "adv", "propn")}

        def name(key) -> str:
            return pos_of.get(key, str(key))

        index, exc, rules = (lookups.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
        return cls({name(k): frozenset(v) for k, v in index.items()},
                   {name(k): frozenset(v) for k, v in exc.items()},
                   {name(k): tuple(tuple(r) for r in v) for k, v in rules.items()})

    def has(self, word: str, pos: Iterable[str] | None = None) -> bool:
        """Whether ``word`` (lower case) is an ordinary word of these parts of speech (None: any), inflected or not."""
        for p in self.words if pos is None else pos:
            if word in self.words.get(p, ()) or word in self.forms.get(p, ()):
                return True
            if any(word.endswith(old) and word[:len(word) - len(old)] + new in self.words.get(p, ())
                   for old, new in self.rules.get(p, ()) if old):
                return True
        return False

    def __bool__(self) -> bool:
        return bool(self.words)


_CAP_WORD = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’][A-Z][a-z]+)?(?:-[A-Z][a-z]+)?"
_CAP_NAME = rf"{_CAP_WORD}(?:[ \t]+{_CAP_WORD})?"
_ANY_WORD = r"[A-Za-z][a-z]+(?:['’][A-Za-z][a-z]+)?(?:-[A-Za-z][a-z]+)?"
_ANY_NAME = rf"{_ANY_WORD}(?:[ \t]+{_CAP_WORD})?"
_RELATION = (r"(?:therapist|counsel+or|psychiatrist|psychologist|doctor|gp|nurse|(?:social|case|key|support)[ \t]+"
             r"worker|care[ \t]+coordinator|sponsor|coach|mentor|teacher|tutor|boss|manager|supervisor|colleague|"
             r"co-?worker|room-?mate|flat-?mate|house-?mate|friend|neighbou?r|partner|boyfriend|girlfriend|husband|"
             r"wife|fianc[eé]e?|ex|son|daughter|kid|child|baby|brother|sister|sibling|mum|mom|mother|dad|father|"
             r"parent|grandma|grandmother|gran|nan|nana|grandpa|grandfather|grandad|granddad|aunt|auntie|uncle|"
             r"cousin|niece|nephew|in-law)")
_RELATION_MOD = r"(?:(?:ex|step|older|younger|little|big|baby|late|new|old|best|twin|former)[- \t]?)?"
_SECTOR_WORDS = ("hospital clinic infirmary centre center surgery practice hospice university college school academy "
                 "institute trust foundation bank insurance council pharmacy diner cafe café restaurant grocery "
                 "supermarket salon gym fitness hotel library garage bakery brewery logistics trucking construction "
                 "realty accounting marketing software warehouse daycare nursery shelter studio store shop books "
                 "church home repair ltd inc llc plc corp group partners")
_SECTOR = "(?:" + "|".join(sorted(_SECTOR_WORDS.split(), key=len, reverse=True)) + ")"
_CAP_SECTOR = "(?:" + "|".join(w.capitalize() for w in sorted(_SECTOR_WORDS.split(), key=len, reverse=True)) + "|LLC)"
_PLACE = r"[A-Za-z][a-z]+(?:[ \t-]+(?:(?:upon|on|in|under)[ \t-]+)?[A-Za-z][a-z]+){0,2}"
_SIGN_OFF = r"(?:[-~—–]+[ \t]*|(?i:xo|xoxo|cheers|thanks|love|best|regards|hugs)[,!]?[ \t]+)"
_AGE_NOTE = r"\([ \t]*\[?[ \t]*[1-9]\d[ \t]*/?[ \t]*(?:[MFmf]|nb|NB)?[ \t]*\]?[ \t]*\)"  # "(33)", "([28F])"
_SELF = r"\b(?i:i'm|i’m|im|i am)"
_STREET_NAME = r"[A-Z][a-z]+"
_STREET_SUFFIX = (r"(?:St|Street|Ave|Avenue|Rd|Road|Ln|Lane|Dr|Drive|Ct|Court|Blvd|Boulevard|Way|Pl|Place|Terrace|"
                  r"Close|Crescent|Grove|Gardens|Square|Row|Parkway|Circle|Trail|Mews|Walk)")
_JOB = r"[a-z][a-z-]+(?:[ \t]+[a-z][a-z-]+){0,2}"

# (entity, pattern, score, check) - the span is group 1; checks: "cap" (capitalised name), "any" (a name in any
# case), "place", "org"
RULES: tuple[tuple[str, re.Pattern[str], float, str], ...] = (
    ("PERSON", re.compile(rf"\b(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor)\.?[ \t]+({_CAP_NAME})"), 0.7, "cap"),
    ("PERSON", re.compile(rf"\b(?i:my|our|his|her|their)[ \t]+(?i:{_RELATION_MOD}{_RELATION})[ \t]*,?[ \t]+"
                          rf"({_ANY_NAME})"), 0.6, "any"),
    ("PERSON", re.compile(rf"(?<=[a-z,] )({_CAP_NAME}),[ \t]+(?i:my|our)[ \t]+(?i:{_RELATION_MOD}{_RELATION})\b"),
     0.5, "cap"),
    ("PERSON", re.compile(rf"\b(?i:named|called)[ \t]+({_CAP_NAME})"), 0.5, "cap"),
    ("PERSON", re.compile(rf"\b(?i:hi|hey|hello)[ \t]*,?[ \t]+(?:(?i:it's|its|this is)[ \t]+)?({_ANY_NAME})[ \t]+"
                          r"(?i:here)\b"), 0.6, "any"),
    ("PERSON", re.compile(rf"(?m)^[ \t]*[-~—–]+[ \t]*({_ANY_NAME})[ \t]*(?=,|\(|$)"), 0.6, "any"),
    # a signature with a place or an age after it ("- peter, halifax", "Hugo (33)", "xo kate (28F)"): the
    # position alone is the cue, so any word that is not a stop word goes
    ("PERSON", re.compile(rf"(?m)^[ \t]*[-~—–]+[ \t]*({_ANY_NAME})[ \t]*,[ \t]*{_PLACE}[ \t]*(?=\s*\Z)"), 0.6,
     "cued"),
    ("PERSON", re.compile(rf"(?m)^[ \t]*{_SIGN_OFF}?({_ANY_NAME})[ \t]*{_AGE_NOTE}[ \t]*$"), 0.6, "cued"),
    ("PERSON", re.compile(rf"(?m)^[ \t]*{_SIGN_OFF}({_ANY_NAME})[ \t]*$"), 0.5, "any"),
    # a self-introduction with an age: "I'm Amara, 19", "im sage, 26, from ..."
    ("PERSON", re.compile(rf"{_SELF}[ \t]+({_ANY_WORD}),[ \t]*[1-9]\d(?!\w)"), 0.6, "cued"),
    ("AGE", re.compile(rf"{_SELF}[ \t]+{_ANY_WORD},[ \t]*([1-9]\d)(?!\w)"), 0.6, "number"),
    ("AGE", re.compile(rf"{_SELF}[ \t]+an?[ \t]+([1-9]\d)[ \t-]*(?i:y(?:ea)?rs?|yo|y/o)\b"), 0.6, "number"),
    # a street without a house number where someone lives: "I live off Oak Ct", "we live on Maple Drive"
    ("ADDRESS", re.compile(rf"\b(?i:live[sd]?|living|stay(?:ing)?|moved)[ \t]+(?i:on|off)[ \t]+"
                           rf"((?:{_STREET_NAME}[ \t]+){{1,2}}{_STREET_SUFFIX})(?![\w-])"), 0.6, "cap"),
    # occupations after "work as a", "... at Acme as a", "I'm a ... at / in <Name>": the noun phrase, cut at the
    # first stop word
    ("OCCUPATION", re.compile(rf"\b(?i:work(?:s|ed|ing)?|employed|job|career)\b[^.!?\n]{{0,60}}?[ \t](?i:as)[ \t]+"
                              rf"(?i:an?|the)[ \t]+({_JOB})"), 0.5, "job"),
    ("OCCUPATION", re.compile(rf"{_SELF}[ \t]+(?i:an?)[ \t]+({_JOB})[ \t]+(?i:at|in|for|with)[ \t]+[A-Z]"), 0.5, "job"),
    ("LOCATION", re.compile(rf"(?m)^[ \t]*[-~—–]+[ \t]*{_ANY_NAME}[ \t]*,[ \t]*({_PLACE})[ \t]*$"), 0.5, "place"),
    ("ORGANIZATION", re.compile(rf"\b((?:[A-Z][\w'’&.-]*[ \t]+){{1,3}}{_CAP_SECTOR})\b"), 0.6, "org"),
    ("ORGANIZATION", re.compile(r"\b((?:[A-Z][a-z]+[ \t]+)?University[ \t]+of[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)"),
     0.6, "org"),
    ("ORGANIZATION", re.compile(r"\b(?i:work(?:s|ed|ing)?[ \t]+(?:at|for)|job[ \t]+at|employed[ \t]+by)[ \t]+"
                                r"([A-Z][\w'’&.-]*(?:[ \t]+[A-Z][\w'’&.-]*){0,2})"), 0.5, "org"),
    ("ORGANIZATION", re.compile(rf"\b(?i:at|for|from)[ \t]+((?:[a-z][a-z'’&-]+[ \t]+){{1,3}}{_SECTOR})\b"), 0.5, "org"),
    ("LOCATION", re.compile(rf"\b(?i:live[sd]?|living|moved|move|moving|relocated|based|born|raised|grew[ \t]+up|"
                            rf"stay(?:ing)?|walk(?:ed|ing)?|drove|driving|flew|back)[ \t]+(?i:in|to|near|outside|around)"
                            rf"[ \t]+({_PLACE})"), 0.5, "place"),
    ("LOCATION", re.compile(rf"\b(?i:i'm|i’m|im|i am|we're|we are|originally)\b[^.!?\n]{{0,40}}?[ \t](?i:from)[ \t]+"
                            rf"({_PLACE})"), 0.5, "place"),
)

# intake-form labels (a line "Label: value"): label pattern -> entity of the value
FORM_FIELDS: tuple[tuple[str, str], ...] = (
    (r"(?:full |first |last |given |preferred |nick)?name|surname|emergency contact|next of kin|referred by|"
     r"(?:gp|therapist|doctor|clinician|counsell?or|key worker|care coordinator)(?: name)?", "PERSON"),
    (r"city|town|home ?town|location|place of birth|region", "LOCATION"),
    (r"employer(?:/school)?|school|college|university|workplace|company|organi[sz]ation", "ORGANIZATION"),
    (r"(?:home |street )?address", "ADDRESS"), (r"age", "AGE"), (r"date of birth|dob|d\.o\.b\.?|birthday", "DATE_TIME"),
    (r"gender|sex", "GENDER"), (r"occupation|job(?: title)?|profession", "OCCUPATION"),
)
_FORM = re.compile(r"(?im)^[ \t]*(" + "|".join(f"(?P<f{i}>{label})" for i, (label, _) in enumerate(FORM_FIELDS))
                   + r")[ \t]*:[ \t]*(?P<value>[^\n]*?)[ \t]*$")
_TITLE = re.compile(r"(?i:dr|doctor|mr|mrs|ms|miss|mx|prof|professor)\.?[ \t]+")


def name_ok(surface: str, check: str, lexicon: Lexicon) -> bool:
    """Whether a cued ``surface`` may be a name of its kind (module docstring)."""
    words = surface.split()
    if not words or words[0].lower() in NOT_NAMES:
        return False
    if check == "org":
        return len(words) >= 2 and (not surface.islower() or _lower_org_ok(words[:-1], lexicon))
    if check in ("cap", "cued", "number") or not surface.islower():
        return True
    if check == "job":
        return _job_ok(words, lexicon)
    if check == "place":
        return bool(lexicon) and all(w not in STOP_WORDS for w in words) and not all(lexicon.has(w) for w in words)
    return bool(lexicon) and not lexicon.has(words[0], ("verb", "adj", "adv"))


def _job_ok(words: list[str], lexicon: Lexicon) -> bool:
    """An occupation: no adverb or adjective-only word, and a last word that is a noun (or unknown)."""
    if not lexicon:
        return False
    if any(lexicon.has(w, ("adv",)) or lexicon.has(w, ("adj",)) and not lexicon.has(w, ("noun",)) for w in words):
        return False
    return lexicon.has(words[-1], ("noun",)) or not lexicon.has(words[-1])


def _lower_org_ok(words: list[str], lexicon: Lexicon) -> bool:
    """A lower-case organisation name: no adverb, and two words before the sector word or one unusual word."""
    if not lexicon or any(lexicon.has(w, ("adv",)) for w in words):
        return False
    return len(words) >= 2 or not lexicon.has(words[0])


def find_cues(text: str, entities: Iterable[str], lexicon: Lexicon) -> list[Cue]:
    """Every cue-rule and form-field detection of the wanted ``entities`` in ``text``."""
    wanted = set(entities)
    found: list[Cue] = []
    for entity, pattern, score, check in RULES:
        if entity not in wanted:
            continue
        for match in pattern.finditer(text):
            start, end = match.span(1)
            if check == "org":
                start = _strip_leading_stop_words(text, start, end)
            elif check == "job":
                end = _cut_at_stop_word(text, start, end)
            if end - start > 1 and name_ok(text[start:end], check, lexicon):
                found.append((start, end, entity, score))
    return found + [cue for cue in form_fields(text) if cue[2] in wanted]


def form_fields(text: str) -> list[Cue]:
    """Values of intake-form lines (module docstring); a value stops at "(" (a note such as "(aunt)")."""
    found: list[Cue] = []
    for match in _FORM.finditer(text):
        entity = next(FORM_FIELDS[int(k[1:])][1] for k, v in match.groupdict().items() if k != "value" and v)
        start, end = match.span("value")
        end = start + len(text[start:end].split("(")[0].rstrip(" \t,;"))
        title = _TITLE.match(text, start, end) if entity == "PERSON" else None
        start = title.end() if title else start
        if entity == "ADDRESS" and "," in text[start:end]:
            comma = text.index(",", start, end)
            place = len(text[comma + 1:end]) - len(text[comma + 1:end].lstrip())
            found.append((comma + 1 + place, end, "LOCATION", 0.6))
            end = comma
        if end > start and text[start:end].strip():
            found.append((start, end, entity, 0.7))
    return found


def _cut_at_stop_word(text: str, start: int, end: int) -> int:
    """End of ``text[start:end]`` before its first stop word ("nurse in Leeds" -> "nurse")."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group().lower() in STOP_WORDS:
            return start + word.start() - (1 if word.start() else 0)
    return end


def _strip_leading_stop_words(text: str, start: int, end: int) -> int:
    """Start of ``text[start:end]`` after leading stop words ("The Royal Hospital" -> "Royal Hospital")."""
    for word in re.finditer(r"\S+", text[start:end]):
        if word.group().lower() not in STOP_WORDS:
            return start + word.start()
    return end
