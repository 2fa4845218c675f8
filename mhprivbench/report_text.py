"""The prose of ``REPORT.md``: one paragraph per family and dataset, written from the leaderboard's numbers.

Every number printed here is a leaderboard aggregate: a mean over seeds with its 95% interval (``ci``), a ratio
to the non-private reference (``pct``), or a baseline/control. A risk "stays above its baseline" when its whole
interval lies above the larger of the random-guess baseline and the control attack (the reference the residual
risk uses); otherwise it is within what an attacker gets without the release.
"""

from __future__ import annotations

from collections import defaultdict

from mhprivbench.leaderboard import UTILITY_KEY, AggregateScore, Entry, Leaderboard

FAMILIES = ("anonymizer", "generator", "trainer")
TITLES = {"anonymizer": "Anonymizers", "generator": "Generators", "trainer": "Trainers"}
RELATIONS = {"add_remove": "add/remove", "replace_one": "replace-one"}


def ci(score: AggregateScore) -> str:
    """``mean [low, high]`` with 3 decimals (a one-sided bound: ``value (min over seeds)``)."""
    if score.aggregation == "min":
        return f"{score.mean:.3f} (min over seeds)"
    return f"{score.mean:.3f} [{score.ci_low:.3f}, {score.ci_high:.3f}]"


def pct(ratio: float) -> str:
    return f"{100 * ratio:.0f}%"


def code(label: str) -> str:
    return f"`{label}`"


def reference_level(score: AggregateScore) -> float:
    """What an attacker gets without the release: the larger of baseline and control (missing ones count 0)."""
    return max(score.baseline or 0.0, score.control or 0.0)


def above_reference(score: AggregateScore) -> bool:
    """The whole interval lies above the baseline/control: risk the release causes, beyond sampling noise."""
    return score.aggregation == "mean" and score.ci_low > reference_level(score)


def reference_entry(entries: list[Entry]) -> Entry | None:
    """The entry the leaderboard's ``utility_relative`` divides by (its ``utility_reference`` label)."""
    labels = {e.utility_reference for e in entries if e.utility_reference}
    candidates = [e for e in entries if e.label in labels and UTILITY_KEY in e.scores]
    return next((e for e in candidates if e.utility_relative == 1.0), candidates[0] if candidates else None)


def _pareto_sentence(members: list[Entry], family: str) -> str:
    front = [code(e.label) for e in members if e.pareto]
    if not front:
        return f"No {family} is on the Pareto front (it is taken over every family on the dataset)."
    return f"On the Pareto front (utility against every headline risk): {', '.join(front)} ({len(front)} of {len(members)})."


def _utility_of(entry: Entry) -> str:
    share = "" if entry.utility_relative is None else f", {pct(entry.utility_relative)} of the reference"
    return f"{code(entry.label)} {ci(entry.scores[UTILITY_KEY])}{share}"


def _non_dp_sentence(members: list[Entry]) -> str:
    plain = [e for e in members if e.epsilon is None and UTILITY_KEY in e.scores]
    if not plain:
        return ""
    return "Macro-F1 without a DP guarantee: " + "; ".join(_utility_of(e) for e in plain) + "."


def _cost(entry: Entry, reference: Entry | None) -> str:
    if entry.utility_relative is None:
        return f"ε {entry.epsilon:g}: {ci(entry.scores[UTILITY_KEY])}"
    cost = 1 - entry.utility_relative
    what = f"a cost of {pct(cost)}" if cost > 0 else "no cost"
    if reference is not None and UTILITY_KEY in reference.scores:
        mine, theirs = entry.scores[UTILITY_KEY], reference.scores[UTILITY_KEY]
        overlap = mine.ci_low <= theirs.ci_high and theirs.ci_low <= mine.ci_high
        what += ", intervals overlap" if overlap else ", intervals apart"
    return (f"ε {entry.epsilon:g}: {ci(entry.scores[UTILITY_KEY])}, keeps {pct(entry.utility_relative)} of the "
            f"reference ({what})")


def _guarantee(entry: Entry) -> str:
    unit = entry.privacy_unit or "undeclared"
    relation = RELATIONS.get(entry.neighbouring or "", "undeclared relation")
    text = f"{unit}-level, {relation}"
    if entry.privacy_unit == "record" and entry.epsilon_author is not None:
        text += f"; an author with k = {entry.max_contribution} records gets ε {entry.epsilon_author:g}"
    return text


def _dp_sentences(members: list[Entry], reference: Entry | None) -> list[str]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in members:
        if entry.epsilon is not None and UTILITY_KEY in entry.scores:
            groups[entry.mechanism.name].append(entry)
    sentences = []
    for name, entries in sorted(groups.items()):
        entries.sort(key=lambda e: (e.epsilon, e.label))
        costs = "; ".join(_cost(e, reference) for e in entries)
        sentences.append(f"{code(name)} ({_guarantee(entries[-1])}): {costs}.")
    return sentences


def _risk_sentence(members: list[Entry], risks: list[str]) -> str:
    above, within = [], []
    for risk in risks:
        scored = [e for e in members if risk in e.scores]
        if not scored:
            continue
        high = [e for e in scored if above_reference(e.scores[risk])]
        if not high:
            within.append(code(risk))
            continue
        worst = max(high, key=lambda e: (e.scores[risk].mean, e.label))
        best = min(scored, key=lambda e: (e.scores[risk].mean, e.label))
        above.append(f"{code(risk)} for {len(high)} of {len(scored)} (highest {code(worst.label)} "
                     f"{ci(worst.scores[risk])} against {reference_level(worst.scores[risk]):.3f}; lowest "
                     f"{code(best.label)} {ci(best.scores[risk])})")
    parts = []
    if above:
        parts.append("Attacks whose interval stays above their baseline/control: " + "; ".join(above) + ".")
    if within:
        parts.append(f"Within their baseline/control for every {members[0].family}: {', '.join(within)}.")
    return " ".join(parts)


def _warnings_sentence(members: list[Entry]) -> str:
    flagged = [code(e.label) for e in members if e.warnings]
    return f"Release warnings (see the leaderboard): {', '.join(flagged)}." if flagged else ""


def _reference_sentence(members: list[Entry], reference: Entry | None) -> str:
    seeds = sorted({len(e.seeds) for e in members})
    seed_text = "/".join(str(n) for n in seeds)
    if reference is None:
        return f"{len(members)} entries, {seed_text} seeds each; no non-private reference on this dataset."
    return (f"{len(members)} entries, {seed_text} seeds each. Utility is macro-F1 on real held-out records, "
            f"relative to the non-private reference {code(reference.label)} ({ci(reference.scores[UTILITY_KEY])}).")


def family_paragraph(board: Leaderboard, dataset: str, family: str) -> str:
    """One paragraph on the ``family`` entries of ``dataset``, from the numbers (no record text)."""
    on_dataset = [e for e in board.entries if e.dataset == dataset]
    members = [e for e in on_dataset if e.family == family]
    if not members:
        return f"**{TITLES.get(family, family)}.** No {family} ran on {dataset}."
    reference = reference_entry(on_dataset)
    sentences = [_reference_sentence(members, reference), _pareto_sentence(members, family),
                 _non_dp_sentence(members), *_dp_sentences(members, reference),
                 _risk_sentence(members, list(board.headline_risks)), _warnings_sentence(members)]
    return f"**{TITLES.get(family, family)}.** " + " ".join(s for s in sentences if s)


def families(board: Leaderboard) -> list[str]:
    """The three families first (always reported), then any other family on the board."""
    return list(FAMILIES) + sorted({e.family for e in board.entries}.difference(FAMILIES))


CAVEATS = (
    "**Baselines.** Every risk sits next to what an attacker gets without the release: a random guess "
    "(e.g. 1 / registry size for linkage, AUC 0.5 for membership inference) or the same attack on records the "
    "release never held (the control). Only risk above the larger of the two is caused by the release (residual "
    "risk); an AUC below 0.5 is chance, not safety. Utility's baseline is the majority-class predictor.",
    "**Intervals.** Each number is a mean over seeds with a 95% interval: the wider of the t-interval across seeds "
    "and the mean per-seed interval (bootstrap, Wilson or Clopper-Pearson). With {seeds} seeds the t-interval is "
    "wide; overlapping intervals are not a difference. One-sided bounds (empirical epsilon lower bounds) are the "
    "minimum over seeds.",
    "**Seeds.** Seeds {seed_list}: each seed draws new splits, new mechanism noise and new attack randomness.",
    "**Privacy unit.** Epsilons are the declared ones, for the declared neighbouring relation and unit. A "
    "record-level guarantee covers one post; an author with k posts gets k epsilon (group privacy), shown as the "
    "author-level epsilon. People, not posts, are the unit that matters.",
    "**Data.** `synthmh` is synthetic (invented personas); real datasets carry injected synthetic PII for the "
    "PII and linkage attacks. Results describe these corpora and attack implementations, not every attacker.",
)


def caveats(board: Leaderboard) -> list[str]:
    seeds = sorted({s for e in board.entries for s in e.seeds})
    counts = sorted({len(e.seeds) for e in board.entries})
    return [c.format(seeds="/".join(map(str, counts)), seed_list=", ".join(map(str, seeds))) for c in CAVEATS]
