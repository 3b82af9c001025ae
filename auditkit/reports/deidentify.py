"""De-identification of report text by HIPAA Safe Harbor (45 CFR 164.514(b)(2)).

A de-identified report keeps findings readable but removes every patient identifier from
the text it shows: finding messages, evidence and the note text they quote. Redaction goes
by what the text contains, never by the characters around it (an unbalanced or curly quote
must not let a name through):

- patients' names, as the database knows them (``patient.first_name`` / ``last_name``);
- MRNs and encounter (claim) numbers the database knows, replaced by the audit's stand-ins,
  and any value labelled as a record, account, member, policy, licence, device … number;
- every element of a date except the year (ISO, US numeric, month names; with or without a
  time); the whole date, year included, when it is a birth date or would make someone older
  than 89;
- ages over 89, which become "90 or older";
- telephone and fax numbers, e-mail addresses, URLs, IP addresses, social security numbers,
  street addresses and ZIP codes.

Staff are not patients: coder and provider names and NPIs are kept, since the report exists
to give them feedback. Free text can name people the database does not know (a relative, a
neighbour); those names cannot be found by pattern and are not removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditkit.db.models import Encounter, Patient
from auditkit.reports.context import FindingRow
from auditkit.reports.sections import Cell, ReportSection, SectionTable

OVER_89 = "90 or older"
REDACTED = "[redacted]"
MIN_NUMBER_LENGTH = 4  # shorter MRNs / encounter numbers would replace line numbers, units …
_CHUNK = 500  # values per IN (...) when looking identifiers up


class Pseudonyms:
    """Stand-ins for identifiers, the same in every output of one audit (the audit's salt)."""

    def __init__(self, prefix: str, salt: str) -> None:
        self.prefix = prefix
        self.salt = salt.encode()

    def __call__(self, value: str | None) -> str | None:
        if value is None:
            return None
        digest = hashlib.sha256(self.salt + value.encode()).hexdigest()[:10]
        return f"{self.prefix}-{digest}"


# --- patterns -----------------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?|Z|[+-]\d{2}:?\d{2})?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_DATE_FORMS = (
    # 2026-05-04, 2026/05/04, 2026.05.04 (with a time, as ISO writes it)
    rf"(?<!\d){_YEAR}[-/.](?:1[0-2]|0?[1-9])[-/.](?:[12]\d|3[01]|0?[1-9]){_TIME}(?!\d)",
    # 05/04/2026, 5-4-26, 04.05.2026 (either order of day and month)
    r"(?<!\d)(?:[0-3]?\d)[/.-](?:[0-3]?\d)[/.-](?P<year2>\d{4}|\d{2})" + _TIME + r"(?![\d/.-]\d)",
    # May 4, 2026 · May 4th 2026 · May 4 (no year) · May 2026
    rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR.replace('year', 'year3')})?(?![\d:])",
    rf"\b{_MONTH},?\s+{_YEAR.replace('year', 'year4')}\b",
    # 4 May 2026 · 4th of May, 2026 · 4 May
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR.replace('year', 'year5')})?\b",
)
DATE = re.compile("|".join(f"(?:{form})" for form in _DATE_FORMS), re.IGNORECASE)
_BIRTH_LABEL = r"(?:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on|\s+in)?)"
BIRTH_DATE = re.compile(
    rf"\b(?P<label>{_BIRTH_LABEL})(?P<gap>\s*[:#=]?\s*)(?P<date>(?:{DATE.pattern})|\d{{4}})",
    re.IGNORECASE,
)
AGE = re.compile(
    r"(?P<prefix>\b(?:aged?|age\s*[:=])\s*)(?P<age>\d{1,3})"
    r"(?P<unit>\s*(?:years?|yrs?|y/?o|y\.o\.)(?:[\s-]*old)?)?\b"
    r"|\b(?P<age2>\d{1,3})(?P<unit2>[\s-]*(?:years?|yrs?|y)[\s-]*old|\s*(?:y/o|y\.o\.|yo)\b)",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”‘’]*[^\s<>\"'“”‘’.,;:!?)]", re.IGNORECASE)
IP_ADDRESS = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"(?:\s*(?:x|ext\.?)\s*\d{1,5})?(?!\d)",
    re.IGNORECASE,
)
_ID_LABEL = (
    r"MRN|MR\s?#|medical\s+record(?:\s+(?:number|no\.?|#))?|chart(?:\s+(?:number|no\.?|#))?"
    r"|acct|account(?:\s+(?:number|no\.?|#))?|member(?:\s+id)?|subscriber(?:\s+id)?"
    r"|policy(?:\s+(?:number|no\.?|#))?|beneficiary(?:\s+(?:id|number))?|MBI|HICN"
    r"|SSN|social\s+security(?:\s+number)?|licen[cs]e(?:\s+(?:number|no\.?|#))?"
    r"|certificate(?:\s+(?:number|no\.?|#))?|serial(?:\s+(?:number|no\.?|#))?|VIN"
    r"|device\s+id"
)
LABELLED_ID = re.compile(
    rf"\b(?P<label>{_ID_LABEL})(?P<gap>\s*[:#=]?\s*)(?P<value>[A-Za-z]*-?\d[\w-]*)",
    re.IGNORECASE,
)
STREET = re.compile(
    r"\b\d{1,6}\s+(?:[A-Z][\w.'-]*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd"
    r"|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|Highway|Hwy|Parkway|Pkwy)\b\.?"
    r"(?:,?\s+(?:Apt|Suite|Unit|#)\.?\s*\w+)?"
)
# "Springfield, IL 62704": the town is as identifying as the ZIP code (only the state may stay)
TOWN_ZIP = re.compile(r"\b(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+,\s[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
ZIP = re.compile(r"\b(?i:ZIP(?:\s+code)?)\s*[:#]?\s*\d{5}(?:-\d{4})?\b")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")
NUMBER_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
ALNUM = re.compile(r"[A-Za-z0-9]+")


def _year_of(match: re.Match[str]) -> int | None:
    for group in ("year", "year2", "year3", "year4", "year5"):
        value = match.group(group)
        if value:
            year = int(value)
            if year < 100:  # a two-digit year: the most recent one it can be
                year += 2000 if year <= dt.date.today().year % 100 else 1900
            return year
    return None


def _candidates(text: str) -> set[str]:
    """Every string in ``text`` that could be an MRN or an encounter number."""
    found: set[str] = set()
    for token in TOKEN.findall(text):
        found.add(token)
        found.update(part for part in re.split(r"[-_./]", token) if part)
        found.update(re.findall(r"\d+", token))
    return found


@dataclass(frozen=True)
class KnownIdentifiers:
    """Patient identifiers the database holds that occur in the texts to de-identify."""

    names: frozenset[str] = frozenset()  # casefolded first and last names
    mrns: frozenset[str] = frozenset()
    encounter_keys: frozenset[str] = frozenset()


def known_identifiers(session: Session, texts: Iterable[str]) -> KnownIdentifiers:
    """Every patient name, and the MRNs and encounter numbers occurring in ``texts``.

    All names are read, not only those spotted in the text: SQL cannot fold case the way
    Python does for every alphabet. MRNs and encounter numbers are looked up only among
    the text's tokens, so a year of claims is never read into memory.
    """
    names: set[str] = set()
    for column in (Patient.first_name, Patient.last_name):
        for name in session.scalars(select(column).distinct()):
            if name:
                names.update(_name_parts(name))
    candidates: set[str] = set()
    for text in texts:
        candidates |= _candidates(text)
    wanted = sorted(candidates)
    mrns: set[str] = set()
    keys: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        mrns.update(session.scalars(select(Patient.mrn).where(Patient.mrn.in_(chunk))))
        keys.update(
            session.scalars(
                select(Encounter.encounter_key).where(Encounter.encounter_key.in_(chunk))
            )
        )
    return KnownIdentifiers(frozenset(names), frozenset(mrns), frozenset(keys))


def section_texts(section: ReportSection) -> list[str]:
    """The texts of a plugin's section where identifiers can be (for known_identifiers)."""
    cells = [v for table in section.tables for row in table.rows for v in row]
    return [section.title, *section.paragraphs, *(v for v in cells if isinstance(v, str))]


def _name_parts(name: str) -> set[str]:
    """A stored name and its parts ("Smith-Jones" → itself, "smith", "jones"), casefolded;
    one-letter parts (initials) are left out: they would redact ordinary words."""
    folded = name.strip().casefold()
    parts = {folded, *re.split(r"[\s\-]+", folded)}
    return {part for part in parts if len(part) > 1}


class Deidentifier:
    """Applies Safe Harbor to one audit's report: stand-in ids and redacted text.

    ``today`` fixes the year that decides which birth years reveal an age over 89.
    """

    def __init__(
        self, salt: str, known: KnownIdentifiers | None = None, today: dt.date | None = None
    ) -> None:
        self.known = known or KnownIdentifiers()
        self.patient_id = Pseudonyms("PT", salt)
        self.encounter_id = Pseudonyms("ENC", salt)
        self.oldest_safe_year = (today or dt.date.today()).year - 89
        self._numbers: dict[str, Callable[[str | None], str | None]] = {
            **{key: self.encounter_id for key in self.known.encounter_keys},
            **{mrn: self.patient_id for mrn in self.known.mrns},
        }
        self._steps: tuple[Callable[[str], str], ...] = (
            lambda text: EMAIL.sub("[e-mail]", text),
            lambda text: URL.sub("[URL]", text),
            lambda text: IP_ADDRESS.sub("[IP address]", text),
            lambda text: SSN.sub("[SSN]", text),
            lambda text: PHONE.sub("[phone]", text),
            lambda text: BIRTH_DATE.sub(self._birth_date, text),
            lambda text: DATE.sub(self._date, text),
            lambda text: AGE.sub(self._age, text),
            self._known_numbers,
            lambda text: LABELLED_ID.sub(self._labelled, text),
            lambda text: STREET.sub("[address]", text),
            lambda text: TOWN_ZIP.sub("[address]", text),
            lambda text: ZIP.sub("[ZIP]", text),
            lambda text: WORD.sub(self._name, text),
        )

    def finding(self, row: FindingRow) -> FindingRow:
        """The finding as a de-identified report shows it: stand-in patient and encounter,
        no date of service, message and evidence redacted. Staff (person) fields stay."""
        return replace(
            row,
            encounter_id=self.encounter_id(row.encounter_id),
            patient_id=self.patient_id(row.patient_id),
            date_of_service=None,
            message=self.text(row.message) or "",
            evidence=self.text(row.evidence),
        )

    def section(self, section: ReportSection) -> ReportSection:
        """A plugin's report section with its title, paragraphs and text cells redacted."""

        def cell(value: Cell) -> Cell:
            return self.text(value) if isinstance(value, str) else value

        return replace(
            section,
            title=self.text(section.title) or "",
            paragraphs=tuple(self.text(p) or "" for p in section.paragraphs),
            tables=tuple(
                SectionTable(
                    headers=table.headers,
                    rows=tuple(tuple(cell(value) for value in row) for row in table.rows),
                    title=self.text(table.title) or "",
                )
                for table in section.tables
            ),
        )

    def text(self, value: str | None) -> str | None:
        """``value`` with every patient identifier it holds removed or replaced."""
        if value is None:
            return None
        for step in self._steps:
            value = step(value)
        return re.sub(r"\[name\](?:[\s,_-]+\[name\])+", "[name]", value)

    def _birth_date(self, match: re.Match[str]) -> str:
        return f"{match.group('label')}{match.group('gap')}[date]"

    def _date(self, match: re.Match[str]) -> str:
        year = _year_of(match)
        if year is None or year < self.oldest_safe_year:
            return "[date]"
        return f"[date {year}]"

    def _age(self, match: re.Match[str]) -> str:
        age = int(match.group("age") or match.group("age2"))
        if age <= 89:
            return match.group(0)
        if match.group("prefix") is not None:
            return f"{match.group('prefix')}{OVER_89}"
        return OVER_89

    def _known_numbers(self, text: str) -> str:
        """Known MRNs and encounter numbers, as whole tokens or hyphen/underscore parts, become
        their stand-ins (a set lookup per token: an audit can name thousands of them)."""

        def swap(token: str) -> str | None:
            stand_in = self._numbers.get(token) if len(token) >= MIN_NUMBER_LENGTH else None
            return stand_in(token) if stand_in is not None else None

        def replace_token(match: re.Match[str]) -> str:
            token = match.group(0)
            whole = swap(token)
            if whole is not None:
                return whole
            return ALNUM.sub(lambda part: swap(part.group(0)) or part.group(0), token)

        return NUMBER_TOKEN.sub(replace_token, text)

    def _labelled(self, match: re.Match[str]) -> str:
        value = match.group("value")
        if re.fullmatch(r"(?:PT|ENC)-[0-9a-f]{10}", value):  # already a stand-in
            return match.group(0)
        return f"{match.group('label')}{match.group('gap')}{REDACTED}"

    def _name(self, match: re.Match[str]) -> str:
        word = match.group(0)
        folded = word.casefold().replace("’", "'")
        if folded in self.known.names or any(
            part in self.known.names for part in re.split(r"['’]", folded) if len(part) > 2
        ):
            return "[name]"
        return word
