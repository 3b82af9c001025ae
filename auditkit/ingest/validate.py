"""Field validators: turn one raw cell into the value auditkit stores, or say what is wrong.

Each parser takes the raw cell text and returns the normalised value (``None`` for an empty
optional cell) or raises :class:`Invalid` with a reason phrased to follow the quoted value,
e.g. ``'2026-02-30' is not a real calendar date``. Whether a code exists in a code set is
not decided here: the checks do that against the release in effect on the date of service.

Claims files repeat the same dates, NPIs and codes on thousands of lines, so the readers call
these through :class:`~auditkit.ingest.records.ColumnGroup`, which parses each distinct raw
value once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

Parser = Callable[[str], Any]

INT_MAX = 2**31 - 1  # the Integer columns are 32-bit on PostgreSQL
MDM_LEVELS = frozenset({"straightforward", "low", "moderate", "high"})
SEXES = frozenset({"M", "F", "U"})
DX_LETTERS = "ABCDEFGHIJKL"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})"  # date
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?)?"  # time, seconds and fraction optional
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?"  # offset optional
)
_DIGITS = re.compile(r"\d+")
_MONEY = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_NPI = re.compile(r"\d{10}")
# A value that could be a code at all: letters and digits with at most one dot in them.
_CODE_CHARACTERS = re.compile(r"[0-9A-Z]+(?:\.[0-9A-Z]*)?|\.[0-9A-Z]+")
CODE_MAX = 8  # characters, not counting the dot
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_POS = re.compile(r"\d{2}")
_DENIAL = re.compile(r"[0-9A-Z]+(?:-[0-9A-Z]+)*")
_POINTER_SPLIT = re.compile(r"[\s,;]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CENT = Decimal("0.01")
_MONEY_MAX = Decimal("9999999999.99")  # Numeric(12, 2)


class Invalid(ValueError):
    """A value breaks a rule; the message is the reason, phrased to follow the value."""


# --- wrappers ----------------------------------------------------------------------------


def required(parse: Parser) -> Parser:
    """Reject an empty (or blank) cell, else parse the trimmed text."""

    def parse_required(raw: str) -> Any:
        no_controls(raw)
        value = raw.strip()
        if not value:
            raise Invalid("is empty, but a value is required")
        return parse(value)

    return _same_as_is(parse_required, parse)


def optional(parse: Parser) -> Parser:
    """An empty (or blank) cell means absent (``None``), else parse the trimmed text."""

    def parse_optional(raw: str) -> Any:
        no_controls(raw)
        value = raw.strip()
        return parse(value) if value else None

    return _same_as_is(parse_optional, parse)


# Some parsers return certain texts unchanged: those matching the regular expression in
# their ``as_is`` attribute (and no longer than ``max_length``). The bulk import uses it to
# accept such texts column-wise without a call per value; a test holds parsers to it.
# No white space at either end (nothing to strip), no control character anywhere.
TRIMMED_TEXT = r"^[!-~]([^\x00-\x1f\x7f-\x9f]*[!-~])?$"


def no_controls(raw: str, allowed: str = "") -> None:
    """Refuse control characters (C0, DEL, C1): never data, and a NUL breaks PostgreSQL.
    ``allowed`` names the ones a column may hold (a note's tabs and line breaks)."""
    found = _CONTROL.search(raw)
    while found is not None and found.group() in allowed:
        found = _CONTROL.search(raw, found.end())
    if found is not None:
        raise Invalid(
            f"contains the control character U+{ord(found.group()):04X}; only printable "
            "text (and, in a note, tabs and line breaks) is allowed"
        )


def _as_is(parse: Any, pattern: str, max_length: int | None = None) -> Parser:
    parse.as_is = pattern
    parse.max_length = max_length
    return parse  # type: ignore[no-any-return]


def _same_as_is(wrapper: Any, parse: Parser) -> Parser:
    """A wrapper over ``parse`` that trims: texts with nothing to trim pass as ``parse``'s."""
    pattern = getattr(parse, "as_is", None)
    if pattern is not None:
        return _as_is(wrapper, pattern, getattr(parse, "max_length", None))
    return wrapper  # type: ignore[no-any-return]


# --- parsers of trimmed, non-empty text ---------------------------------------------------


def text(max_length: int) -> Parser:
    """Free text that must fit its column."""

    def parse_text(value: str) -> str:
        if len(value) > max_length:
            raise Invalid(f"is longer than {max_length} characters")
        return value

    return _as_is(parse_text, TRIMMED_TEXT, max_length)


def date(value: str) -> str:
    """A ``YYYY-MM-DD`` date that exists in the calendar, kept in that form."""
    if not _DATE.fullmatch(value):
        raise Invalid("is not a date in the form YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid("is not a real calendar date") from None
    return value


def timestamp(value: str) -> str:
    """An ISO 8601 timestamp, as local time of the organisation (``YYYY-MM-DD HH:MM:SS.ffffff``).

    A timestamp without offset already is local time; one with an offset (or ``Z``) is
    converted to the time zone of the machine that imports, which is taken to be the
    organisation's, so that every stored timestamp means the same kind of time.
    """
    if not _TIMESTAMP.fullmatch(value):
        raise Invalid("is not an ISO 8601 timestamp (e.g. 2026-03-02T14:05:00)")
    try:
        moment = dt.datetime.fromisoformat(value.replace(",", "."))
    except ValueError:
        raise Invalid("is not a real date and time") from None
    if moment.tzinfo is None and len(value) == 19:  # the common case, without strftime
        return f"{value[:10]} {value[11:]}.000000"
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def integer(minimum: int) -> Parser:
    """A whole number written with digits only, at least ``minimum``."""

    def parse_integer(value: str) -> int:
        if not _DIGITS.fullmatch(value):
            raise Invalid(f"is not a whole number (expected an integer ≥ {minimum})")
        number = int(value)
        if number < minimum:
            raise Invalid(f"is less than {minimum}")
        if number > INT_MAX:
            raise Invalid(f"is larger than {INT_MAX}")
        return number

    return parse_integer


def money(allow_negative: bool) -> Parser:
    """A decimal amount with at most two decimal places, returned as ``'123.40'``."""

    def parse_money(value: str) -> str:
        if not _MONEY.fullmatch(value):
            raise Invalid("is not a decimal amount (e.g. 125.00)")
        try:
            amount = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            raise Invalid("is not a decimal amount (e.g. 125.00)") from None
        if amount < 0 and not allow_negative:
            raise Invalid("is negative; it must be ≥ 0")
        if amount != amount.quantize(_CENT):
            raise Invalid("has more than two decimal places")
        if abs(amount) > _MONEY_MAX:
            raise Invalid(f"is larger than {_MONEY_MAX}")
        return str(amount.quantize(_CENT))

    # Two decimals, no leading zero, at most ten digits before the point: written as is.
    sign = "-?" if allow_negative else ""
    return _as_is(parse_money, rf"^{sign}(0|[1-9][0-9]{{0,9}})\.[0-9]{{2}}$")


def npi(value: str) -> str:
    """A National Provider Identifier: 10 digits whose last is the Luhn check digit.

    As the NPI standard defines it, the check digit is computed over the prefix 80840
    (the health-industry issuer number) followed by the first nine digits.
    """
    if not _NPI.fullmatch(value):
        raise Invalid("is not an NPI (10 digits)")
    if not _luhn_valid("80840" + value):
        raise Invalid("is not a valid NPI: the check digit (Luhn, prefix 80840) does not match")
    return value


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def sex(value: str) -> str:
    """``M``, ``F`` or ``U`` (any case)."""
    upper = value.upper()
    if upper not in SEXES:
        raise Invalid("is not a sex code (M, F or U)")
    return upper


def procedure_code(value: str) -> str:
    """A procedure code as typed (``99213``, ``0001U``, ``J1100``), upper-case.

    Whether it is a real CPT or HCPCS code is the audit's question (SPC001), so a code of the
    wrong shape (``992133``) is imported as typed; only a value that cannot be a code at all
    is refused (see :func:`_code_as_typed`).
    """
    return _code_as_typed(value)


def modifier(value: str) -> str:
    """A two-character modifier (``25``, ``RT``), upper-case."""
    upper = value.upper()
    if not _MODIFIER.fullmatch(upper):
        raise Invalid("is not a modifier (2 letters or digits)")
    return upper


def icd10cm(value: str) -> str:
    """An ICD-10-CM code as typed, upper-case, stored without its dot (``E11.9`` → ``E119``).

    The dot is dropped only where ICD-10-CM puts it, after the third character; anywhere
    else it is part of what the coder typed and kept, so the audit (SPC001) sees the code as
    it was billed. Malformed codes (``S39.012A1``, ``S39012A0``) are imported for SPC001 to
    report; only a value that cannot be a code at all is refused (see :func:`_code_as_typed`).
    """
    code = _code_as_typed(value)
    return code[:3] + code[4:] if code.find(".") == 3 else code


def _code_as_typed(value: str) -> str:
    """Letters and digits with at most one dot, at most CODE_MAX characters besides the dot."""
    upper = value.upper()
    if not _CODE_CHARACTERS.fullmatch(upper):
        raise Invalid("cannot be a code: only letters, digits and one dot are allowed")
    if len(upper) - upper.count(".") > CODE_MAX:
        raise Invalid(f"cannot be a code: longer than {CODE_MAX} characters without the dot")
    return upper


def place_of_service(value: str) -> str:
    """A CMS place-of-service code: two digits (``11``, ``22``)."""
    if not _POS.fullmatch(value):
        raise Invalid("is not a place-of-service code (two digits, e.g. 11)")
    return value


def denial_codes(value: str) -> str | None:
    """CARC codes separated by ``;`` (``CO-97;CO-16``), upper-case; empty parts are dropped,
    so a cell holding only separators counts as empty."""
    codes = [part.strip().upper() for part in value.split(";") if part.strip()]
    for code in codes:
        if not _DENIAL.fullmatch(code):
            raise Invalid("is not a ';'-separated list of denial codes (e.g. CO-97;CO-16)")
    joined = ";".join(codes)
    if len(joined) > 256:
        raise Invalid("is longer than 256 characters")
    return joined or None


def dx_pointers(value: str) -> tuple[str, int]:
    """Diagnosis pointers as letters ``A``–``L`` (``AB``) or numbers 1–12 (``1,2``).

    Returns the pointers as letters (``AB``) and a bit mask of the positions they point at
    (bit 0 = dx1), so each line can be checked against the diagnoses its encounter has.
    """
    upper = value.upper()
    parts = [part for part in _POINTER_SPLIT.split(upper) if part]
    if all(part.isdigit() for part in parts):
        positions = [int(part) for part in parts]
        if not all(1 <= position <= 12 for position in positions):
            raise Invalid("has a pointer outside 1–12")
    elif all(part.isalpha() for part in parts):
        letters = "".join(parts)
        if any(letter not in DX_LETTERS for letter in letters):
            raise Invalid("has a pointer outside A–L")
        positions = [DX_LETTERS.index(letter) + 1 for letter in letters]
    else:
        raise Invalid("is not a list of diagnosis pointers (letters A–L like AB, or numbers 1,2)")
    mask = 0
    for position in positions:
        mask |= 1 << (position - 1)
    return "".join(DX_LETTERS[position - 1] for position in positions), mask


def mdm_level(value: str) -> str:
    """Documented medical decision making: straightforward, low, moderate or high."""
    lower = value.lower()
    if lower not in MDM_LEVELS:
        raise Invalid("is not an MDM level (straightforward, low, moderate or high)")
    return lower
