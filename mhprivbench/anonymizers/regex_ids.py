"""Structured identifier rules of the ``regex`` anonymizer: ID numbers, network and payment identifiers.

Entity names follow Presidio's where one exists: ``US_SSN``, ``UK_NHS``, ``IBAN_CODE``, ``CREDIT_CARD``,
``IP_ADDRESS``; ``ID`` is any other record or account number introduced by a cue ("MRN", "ID", "patient number",
"hospital no.", "member ID", "policy number", ...). Every rule with a checksum or a valid range checks it
(``regex_checks``): a card number with a wrong Luhn digit is not a card, an NHS number with a wrong check digit
is not an NHS number.

Patterns start with a single character class or literal where they can (Python's ``re`` then scans for that
character instead of trying every position), and gates skip texts that cannot match.
"""

from __future__ import annotations

import re

from mhprivbench.anonymizers.regex_checks import Rule, card_ok, iban_ok, ipv4_ok, ipv6_ok, nhs_ok, ssn_ok

# Generic ID cues, checked before a number (``Rule.before``): "MRN" / "ID" on their own (upper case: "id" is a
# word), otherwise a record word followed by id / number / no. / #; then ":", "#", "=", "is" or "was".
_ID_CUE = re.compile(
    r"(?:\b(?:ID|Id|MRN|Mrn|mrn)\b|(?i:\b(?:hospital|patient|medical[ \t]+record|member(?:ship)?|policy|case|"
    r"insurance|claim|account|acct|reference|ref|client|student|employee|staff|passport|licen[cs]e)"
    r"[ \t]+(?:id|number|num|no\.?|#)))[ \t]*(?:[:#=]|\bis\b|\bwas\b)?[ \t]*\Z"
)
_FIVE_DIGITS = re.compile(r"\d[- ]?\d[- ]?\d[- ]?\d[- ]?\d")

_CARD = (
    r"\d(?<![\w.-]\d)(?:"
    r"\d{3}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"  # 4-4-4-4 (and 4-4-4-4-3), or 16 / 19 digits run together
    r"|\d{3}([ -]?)\d{6}\2\d{5}"  # 4-6-5 (American Express)
    r"|\d{12,18}"  # 13-19 digits run together
    r")(?![\w-])"
)

ID_RULES: dict[str, list[Rule]] = {
    "US_SSN": [
        # 123-45-6789 / 123 45 6789 / 123.45.6789 (one separator style); a possible area, group and serial
        Rule(re.compile(r"\d(?<![\w.-]\d)\d\d([- .])\d\d\1\d{4}(?![\w-]|\.\d)"), check=ssn_ok, min_digits=9),
        # nine bare digits only after an SSN cue
        Rule(re.compile(r"(?i:\bssn|\bsocial[ \t]+security(?:[ \t]+(?:number|no\.?|#))?)[ \t:#]*(\d{9})(?!\w)"), 1,
             check=ssn_ok, min_digits=9, needs=("SSN", "ssn", "Ssn", "ocial", "OCIAL")),
    ],
    "UK_NHS": [
        # an NHS cue, then 10 digits as 3-3-4 (spaces or dashes) or run together, with a valid mod-11 check digit
        Rule(re.compile(r"\b(?i:nhs(?:[ \t]+(?:number|num|no\.?|#))?)[ \t:#.]*(?i:is[ \t]+)?"
                        r"(\d{3}([ -]?)\d{3}\2\d{4})(?!\w)"), 1, check=nhs_ok, min_digits=10,
             needs=("NHS", "nhs", "Nhs")),
    ],
    "CREDIT_CARD": [Rule(re.compile(_CARD), check=card_ok, min_digits=13)],
    "IBAN_CODE": [
        # country code, check digits, then groups of four (spaced or not) and a short tail; ISO 7064 mod-97
        Rule(re.compile(r"[A-Z](?<![\w][A-Z])[A-Z]\d\d(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?!\w)"),
             check=iban_ok, min_digits=4, gate=re.compile(r"[A-Z][A-Z]\d\d")),
    ],
    "IP_ADDRESS": [
        Rule(re.compile(r"\d(?<![\w.]\d)\d{0,2}(?:\.\d{1,3}){3}(?!\w|\.\d)"), check=ipv4_ok, min_digits=4,
             needs=(".",)),
        # IPv6, full or '::'-compressed, an IPv4 tail allowed; parsed by ipaddress
        Rule(re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?"
                        r"(?![\w:])"), check=ipv6_ok, min_digits=1, gate=re.compile(r"[0-9A-Fa-f:]:[0-9A-Fa-f:]")),
    ],
    "ID": [  # 5-18 digits (single dashes allowed), an optional letter prefix or suffix, after an ID cue
        Rule(re.compile(r"\d(?<![\w-]\d)(?:-?\d){4,17}[A-Z]?(?![\w-])"), min_digits=5, gate=_FIVE_DIGITS,
             before=_ID_CUE),
        Rule(re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]{0,3}-?\d(?:-?\d){4,17}[A-Z]?(?![\w-])"), min_digits=5,
             gate=_FIVE_DIGITS, before=_ID_CUE),
    ],
}
