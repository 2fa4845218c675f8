"""Whole posts of three kinds: peer-support posts, journal entries and answers to intake questions."""

from __future__ import annotations

import random
from functools import partial

from mhprivbench.datasets.synthmh import bank_forms as forms
from mhprivbench.datasets.synthmh import bank_life, bank_mood, slots
from mhprivbench.datasets.synthmh.builder import TextBuilder
from mhprivbench.datasets.synthmh.compose import (
    Author,
    body_plan,
    context_templates,
    linkable,
    lower_first,
    sentence,
    symptom,
    write_body,
)
from mhprivbench.datasets.synthmh.labels import CRISIS, severity_index
from mhprivbench.datasets.synthmh.style import apply_style
from mhprivbench.types import Span

POST_KINDS = ("peer_support", "journal", "intake")
POST_KIND_WEIGHTS = (0.5, 0.3, 0.2)


def _ensure_linkable(b: TextBuilder, a: Author, rng: random.Random) -> None:
    """Sign off the way this author does; add an age tag if that still leaves the post unlinkable."""
    if linkable(b.spans) or rng.random() < 0.03:
        return
    if b.tail() not in ("", "\n"):
        b.raw("\n")
    b.add(slots.render(forms.SIGNOFFS[a.style.sign_format], a.attrs, a.style, rng))
    if not linkable(b.spans):
        b.add(slots.render(rng.choice((" ({age_tag})", ", {city}")), a.attrs, a.style, rng))
        if not linkable(b.spans):
            b.add(slots.render(" {handle}", a.attrs, a.style, rng))


def _peer(b: TextBuilder, a: Author, condition: str, rng: random.Random) -> None:
    s = a.style
    if rng.random() < s.tag_rate * 0.6:
        b.add(slots.render(rng.choice(("{age_tag} ", "{age_tag} here. ", "{age_tag}\n")), a.attrs, s, rng))
    if rng.random() < 0.45:
        sentence(b, a, rng.choice(forms.OPENERS), rng)
    plan: list[tuple[str, str]] = body_plan(a, condition, rng)
    for _ in range(rng.choice((0, 1, 1, 1, 2))):
        plan.insert(rng.randrange(min(2, len(plan)) + 1), ("context", ""))
    for item in plan:
        if item[0] == "context":
            sentence(b, a, b.pick(context_templates(a), rng), rng)
        else:
            write_body(b, a, [item], rng)
    if rng.random() < 0.45:
        sentence(b, a, rng.choice(forms.QUESTIONS), rng, pets=False)
    if rng.random() < 0.25:
        sentence(b, a, rng.choice(forms.CLOSERS), rng)
    if rng.random() < 0.08:
        sentence(b, a, rng.choice(forms.HANDLE_LINES), rng, pets=False)
    if rng.random() < s.sign_rate:
        b.raw("\n")
        b.add(slots.render(forms.SIGNOFFS[s.sign_format], a.attrs, s, rng))
    _ensure_linkable(b, a, rng)


def _journal(b: TextBuilder, a: Author, condition: str, rng: random.Random) -> None:
    if rng.random() < 0.5:
        b.add(slots.render(rng.choice(forms.JOURNAL_HEADERS), a.attrs, a.style, rng))
        b.raw("\n")
    plan = body_plan(a, condition, rng)
    for _ in range(rng.choice((1, 1, 2))):
        plan.insert(rng.randrange(len(plan) + 1), ("context", ""))
    for item in plan:
        if item[0] == "context":
            sentence(b, a, b.pick(bank_life.CONTEXT_JOURNAL, rng), rng)
        else:
            write_body(b, a, [item], rng)
    for _ in range(3):
        if linkable(b.spans) or rng.random() < 0.03:
            break
        sentence(b, a, b.pick(bank_life.CONTEXT_JOURNAL + context_templates(a), rng), rng)
    if rng.random() < 0.35:
        sentence(b, a, rng.choice(forms.JOURNAL_CLOSERS), rng)


def _form(b: TextBuilder, a: Author, rng: random.Random) -> None:
    b.raw(rng.choice(forms.FORM_HEADERS) + "\n")
    for label, template, p in forms.FORM_FIELDS:
        if rng.random() < p:
            b.raw(f"{label}: ")
            b.add(slots.render(template, a.attrs, a.style, rng), styled=False)
            b.raw("\n")
    if not linkable(b.spans):
        b.raw("Name: ")
        b.add(slots.render("{name}", a.attrs, a.style, rng), styled=False)
        b.raw("\n")


def _answer(b: TextBuilder, question: str, write, rng: random.Random) -> None:
    b.raw("\n" + question + "\n")
    write()
    b.raw("\n")


def _intake(b: TextBuilder, a: Author, condition: str, rng: random.Random, phq9: int, gad7: int) -> None:
    _form(b, a, rng)
    plan = [item for item in body_plan(a, condition, rng) if item[0] != "filler"] or [("shared", condition)]
    _answer(b, rng.choice(forms.Q_REASON), partial(write_body, b, a, plan, rng), rng)
    if rng.random() < 0.5:
        _answer(b, rng.choice(forms.Q_DURATION), partial(sentence, b, a, rng.choice(forms.DURATION_ANSWERS), rng), rng)
    for questions, score, top in ((forms.SCREEN_MOOD, phq9, 27), (forms.SCREEN_WORRY, gad7, 21)):
        if rng.random() < 0.6:
            b.raw("\n" + rng.choice(questions) + "\n" + forms.SEVERITY[severity_index(score, top, rng)])
            b.raw("\n")
    if rng.random() < 0.7:
        _answer(b, rng.choice(forms.SCREEN_RISK), partial(_risk_answer, b, a, condition, phq9, rng), rng)
    if rng.random() < (0.7 if condition == "ptsd" else 0.25):
        _answer(b, rng.choice(forms.Q_EVENT), partial(sentence, b, a, "{event} on {event_date}", rng), rng)
    if rng.random() < 0.4:
        question, answers = rng.choice(forms.EXTRA_QUESTIONS)
        write = partial(sentence, b, a, rng.choice(answers), rng) if answers else partial(
            write_body, b, a, [("filler", "")], rng)
        _answer(b, question, write, rng)


def _risk_answer(b: TextBuilder, a: Author, condition: str, phq9: int, rng: random.Random) -> None:
    if condition == CRISIS:
        b.lit(rng.choice(forms.RISK_YES) + ". ")
        symptom(b, a, CRISIS, rng)
    elif phq9 >= 15 and rng.random() < 0.3:
        b.lit("Not really, but ")
        sentence(b, a, lower_first(rng.choice(bank_mood.SHARED)), rng, pets=False)
    else:
        b.lit(rng.choice(forms.RISK_NO))


def write_post(a: Author, kind: str, condition: str, rng: random.Random, phq9: int, gad7: int
               ) -> tuple[str, tuple[Span, ...]]:
    """The text of one post and its ground-truth spans (sorted by start)."""
    b = TextBuilder(partial(apply_style, a.style, rng=rng))
    if kind == "intake":
        _intake(b, a, condition, rng, phq9, gad7)
    elif kind == "journal":
        _journal(b, a, condition, rng)
    else:
        _peer(b, a, condition, rng)
    return b.text().rstrip(), tuple(b.spans)  # mentions never end in whitespace
