"""Reading and validating column-wise: the quoting scan, the as-is shortcuts, the timestamps
converted in Arrow, line numbers, and batches that cut encounters apart."""

from __future__ import annotations

import mmap
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from auditkit.db.migrate import upgrade
from auditkit.db.models import Diagnosis, Encounter, Note, ServiceLine
from auditkit.db.session import make_engine
from auditkit.errors import DatabaseBusy, InputError
from auditkit.ingest import import_claims, strict_csv
from auditkit.ingest.claims_file import PARSERS
from auditkit.ingest.columnwise import Where
from auditkit.ingest.notes_file import PARSERS as NOTE_PARSERS
from auditkit.ingest.notes_file import TimestampParser
from auditkit.ingest.problems import ProblemLog
from auditkit.ingest.strict_csv import quoting_is_plain
from auditkit.ingest.validate import Invalid
from auditkit.testing import table_counts

if TYPE_CHECKING:
    from conftest import ClaimsData

CONTRACT = Path(__file__).parents[1] / "data" / "contract"


def test_encounters_cut_by_batch_boundaries(
    engine: Engine, claims_data: ClaimsData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of a few hundred bytes: runs straddle every boundary and are carried over;
    an encounter whose last line comes at the end of the file is one encounter still."""
    monkeypatch.setattr("auditkit.ingest.claims_file.BLOCK_SIZE", 700)
    monkeypatch.setattr("auditkit.ingest.notes_file.BLOCK_SIZE", 300)
    claims_data.claims = [
        claims_data.claim(f"E{number}", line, dx_pointers="A")
        for number in range(1, 41)
        for line in range(1, number % 4 + 2)
    ]
    claims_data.claims.append(claims_data.claim("E1", 7, procedure_code="81002", dx_pointers="B"))
    claims_data.notes = [
        claims_data.note(f"E{number}", f"note {number}\nline 2") for number in range(1, 41)
    ]

    summary = import_claims(engine, *claims_data.write())

    expected_lines = sum(number % 4 + 1 for number in range(1, 41)) + 1
    assert (summary.lines, summary.encounters, summary.notes) == (expected_lines, 40, 40)
    with engine.connect() as connection:
        lines = connection.execute(
            select(Encounter.encounter_key, ServiceLine.line_number, ServiceLine.procedure_code)
            .join(Encounter, Encounter.id == ServiceLine.encounter_id)
            .where(Encounter.encounter_key == "E1")
            .order_by(ServiceLine.line_number)
        ).all()
        dx = connection.execute(select(Diagnosis.code).where(Diagnosis.position == 2)).scalars()
        notes = dict(
            connection.execute(select(Encounter.encounter_key, Note.note_text).join(Note)).all()
        )
    assert [tuple(row) for row in lines] == [
        ("E1", 1, "99213"),
        ("E1", 2, "99213"),
        ("E1", 7, "81002"),
    ]
    assert set(dx) == {"E119"}
    assert notes["E33"] == "note 33\nline 2"


def test_line_numbers_across_multi_line_notes_and_blank_lines(
    engine: Engine, claims_data: ClaimsData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("auditkit.ingest.notes_file.BLOCK_SIZE", 200)
    claims_data.notes = [
        claims_data.note("E1", "one\ntwo\nthree"),  # lines 2-4
        claims_data.note("E2", "a\r\nb"),  # lines 5-6
        claims_data.note("E3", "fine", mdm_level="extreme"),  # line 8, after a blank line
    ]
    claims, notes = claims_data.write()
    text = notes.read_text(encoding="utf-8").splitlines(keepends=True)
    notes.write_text("".join(text[:-1]) + "\n" + text[-1], encoding="utf-8")

    with pytest.raises(InputError) as raised:
        import_claims(engine, claims, notes)

    assert [(p.file, p.line, p.column) for p in raised.value.problems] == [
        ("notes.csv", 8, "mdm_level")
    ]


def test_contract_data_imports_as_written(engine: Engine) -> None:
    summary = import_claims(engine, CONTRACT / "claims.csv", CONTRACT / "notes.csv")
    with CONTRACT.joinpath("claims.csv").open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle) - 1
    assert summary.lines == lines
    assert table_counts(engine)["service_line"] == lines


def test_one_value_in_two_spellings_agrees(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.claims[1]["dx2"] = "e119"  # line 1 of E1 has E11.9
    summary = import_claims(engine, *claims_data.write())
    assert summary.encounters == 3


def test_stray_quote_is_reported_with_its_line(engine: Engine, claims_data: ClaimsData) -> None:
    claims, notes = claims_data.write()
    claims.write_text(claims.read_text().replace("Dr Heart", '"Dr" Heart', 1))
    before = table_counts(engine)
    with pytest.raises(InputError, match=r"claims\.csv, line 2: is not valid CSV"):
        import_claims(engine, claims, notes)
    assert table_counts(engine) == before


def test_too_few_cells_are_reported(engine: Engine, claims_data: ClaimsData) -> None:
    claims, notes = claims_data.write()
    text = claims.read_text().splitlines(keepends=True)
    text[2] = text[2].rsplit(",", 3)[0] + "\n"
    claims.write_text("".join(text))
    with pytest.raises(InputError) as raised:
        import_claims(engine, claims, notes)
    assert [(p.line, p.column) for p in raised.value.problems] == [(3, None)]
    assert "values but the header has" in raised.value.problems[0].message


def test_locked_database_is_a_message_not_a_traceback(
    tmp_path: Path, claims_data: ClaimsData
) -> None:
    path = tmp_path / "locked.db"
    upgrade(make_engine(f"sqlite:///{path}"))
    engine = make_engine(f"sqlite:///{path}?timeout=0.1")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="locked by another program"):
            import_claims(engine, *claims_data.write())
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()


def test_database_in_memory(claims_data: ClaimsData) -> None:
    engine = make_engine("sqlite://")
    upgrade(engine)
    assert import_claims(engine, *claims_data.write()).notes == 2


# --- the pieces --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "plain"),
    [
        (b'a,b\n"x, y",2\n', True),
        (b'a,b\n"said ""hi""",2\r\n', True),
        (b'a,b\n"two\nlines",""\n', True),
        (b'a,b\n"x"y,2\n', False),
        (b'a,b\nx"y,2\n', False),
        (b'a,b\n"ab"""c,2\n', False),
        (b'a,b\n"a,"b",2\n', False),
        (b'a,b\n"open,2\n', False),
    ],
)
def test_quoting_is_plain(tmp_path: Path, content: bytes, plain: bool) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(content)
    assert quoting_is_plain(path) is plain


@pytest.mark.parametrize("shift", [-2, -1, 0, 1])
@pytest.mark.parametrize(("field", "plain"), [(b'"x, y"', True), (b'"x"y', False)])
def test_quoting_scan_crosses_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: bytes, plain: bool, shift: int
) -> None:
    chunk = mmap.ALLOCATIONGRANULARITY
    monkeypatch.setattr(strict_csv, "SCAN_CHUNK", chunk)
    # Place the field's closing quote around the end of the first chunk.
    closing = field.rindex(b'"')
    head = b"a,b\n9" + b"9" * (chunk - 7 - closing + shift) + b","
    content = head + field + b",2\n" + b"3,4\n" * 3
    path = tmp_path / "q.csv"
    path.write_bytes(content)
    assert len(head) + closing == chunk - 1 + shift
    assert quoting_is_plain(path) is plain


AS_IS = {name: parse for name, parse in PARSERS.items() if getattr(parse, "as_is", None)}


def test_text_and_money_columns_have_as_is_patterns() -> None:
    assert {"patient_id", "provider_name", "charge", "paid_amount"} <= set(AS_IS)


@pytest.mark.parametrize("name", sorted(AS_IS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_as_is_texts_are_what_the_parser_returns(name: str, data: st.DataObject) -> None:
    parse = AS_IS[name]
    text = data.draw(st.from_regex(re.compile(parse.as_is), fullmatch=True))
    if parse.max_length is not None and len(text) > parse.max_length:
        return
    assert parse(text) == text


TIMESTAMPS = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat(timespec="seconds")),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", fullmatch=True),
    st.sampled_from(["", "2026-02-30T10:00:00", "2026-03-02T10:00:60", "2026-03-02 10:00"]),
)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(TIMESTAMPS, min_size=1, max_size=8))
def test_timestamps_column_wise_as_the_parser_reads_them(texts: list[str]) -> None:
    parse = NOTE_PARSERS["signed_at"]
    parser = TimestampParser("signed_at", parse)
    problems = ProblemLog()
    where = Where("notes.csv", pa.array(range(2, 2 + len(texts)), pa.int64()), problems)
    parsed, _ = parser(pa.array(texts, pa.string()), where)
    for line, text, value in zip(range(2, 2 + len(texts)), texts, parsed.to_pylist(), strict=True):
        try:
            expected = parse(text)
        except Invalid:
            assert value is None
            assert any(p.line == line for p in problems.kept)
        else:
            assert value == expected


def test_blank_lines_at_the_end_in_a_batch_of_their_own(
    engine: Engine, claims_data: ClaimsData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("auditkit.ingest.claims_file.BLOCK_SIZE", 1500)
    claims, notes = claims_data.write()
    claims.write_text(claims.read_text() + "\n" * 4000)
    assert import_claims(engine, claims, notes).lines == 5
