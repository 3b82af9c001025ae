"""The bulk import path: the same rows as the general path, or it declines and the general
path takes over (docs/importing.md, "How it works")."""

from __future__ import annotations

import csv
import mmap
import re
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from auditkit.db.migrate import upgrade
from auditkit.db.session import make_engine
from auditkit.errors import DatabaseBusy, InputError
from auditkit.ingest import import_claims
from auditkit.ingest.bulk.csv_batches import quoting_is_plain
from auditkit.ingest.bulk.values import Rejected, TimestampParser
from auditkit.ingest.claims_file import PARSERS
from auditkit.ingest.notes_file import parse_signed_at
from auditkit.ingest.validate import Invalid
from synthetic_data.generate import generate

from .conftest import ClaimsData

CONTRACT = Path(__file__).parents[1] / "data" / "contract"

# Everything an import writes, by natural keys (ids of patients differ between the paths:
# the general path numbers them in key order, the bulk path as they come), with the
# storage class of each value, so '120' stored as text would not pass for 120.
DUMP = {
    "patient": "SELECT mrn, first_name, last_name, dob, sex FROM patient",
    "provider": "SELECT npi, name, specialty FROM provider",
    "coder": "SELECT coder_key, name FROM coder",
    "encounter": """SELECT e.id, e.encounter_key, p.mrn, v.npi, c.coder_key, e.date_of_service,
                    e.place_of_service, e.department, e.payer, typeof(e.date_of_service)
                    FROM encounter e JOIN patient p ON p.id = e.patient_id
                    JOIN provider v ON v.id = e.provider_id JOIN coder c ON c.id = e.coder_id""",
    "diagnosis": """SELECT e.encounter_key, d.position, d.code FROM diagnosis d
                    JOIN encounter e ON e.id = d.encounter_id""",
    "service_line": """SELECT e.encounter_key, l.line_number, l.procedure_code, l.modifier1,
                    l.modifier2, l.modifier3, l.modifier4, l.units, l.dx_pointers, l.charge,
                    l.paid_amount, l.denial_codes, typeof(l.units), typeof(l.charge),
                    typeof(l.paid_amount) FROM service_line l
                    JOIN encounter e ON e.id = l.encounter_id""",
    "note": """SELECT e.encounter_key, n.author_npi, n.signed_at, n.total_time_minutes,
                    n.mdm_level, n.note_text, typeof(n.total_time_minutes) FROM note n
                    JOIN encounter e ON e.id = n.encounter_id""",
    "import_batch": """SELECT kind, source_name, source_sha256, rows, encounters, replaced,
                    length(imported_at) FROM import_batch""",
}


def fresh_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return engine


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        return {
            table: sorted(connection.execute(sql).fetchall(), key=repr)
            for table, sql in DUMP.items()
        }


def both_paths(tmp_path: Path, claims: Path, notes: Path | None) -> tuple[dict, dict]:
    bulk_db, general_db = tmp_path / "bulk.db", tmp_path / "general.db"
    summary = import_claims(fresh_engine(bulk_db), claims, notes)
    assert (summary.method, summary.bulk_declined) == ("bulk", None)
    general = import_claims(fresh_engine(general_db), claims, notes, bulk=False)
    assert general.method == "general"
    assert (summary.lines, summary.encounters, summary.notes) == (
        general.lines,
        general.encounters,
        general.notes,
    )
    return dump(bulk_db), dump(general_db)


def test_bulk_writes_what_the_general_path_writes(tmp_path: Path, claims_data: ClaimsData) -> None:
    bulk, general = both_paths(tmp_path, *claims_data.write())
    assert bulk == general
    assert len(bulk["service_line"]) == 5


def test_bulk_matches_on_generated_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(data, encounters=400, seed=11)
    bulk, general = both_paths(tmp_path, data / "claims.csv", data / "notes.csv")
    assert bulk == general
    assert len(bulk["note"]) == 400


def test_runs_carry_over_between_small_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of a few kilobytes: encounters straddle batch boundaries all the time."""
    from auditkit.ingest.bulk import claims, notes

    monkeypatch.setattr(claims, "BLOCK_SIZE", 4096)
    monkeypatch.setattr(notes, "BLOCK_SIZE", 8192)
    data = tmp_path / "data"
    generate(data, encounters=300, seed=5)
    bulk, general = both_paths(tmp_path, data / "claims.csv", data / "notes.csv")
    assert bulk == general


def test_encounter_apart_across_batches_goes_to_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditkit.ingest.bulk import claims

    monkeypatch.setattr(claims, "BLOCK_SIZE", 4096)
    data = tmp_path / "data"
    generate(data, encounters=200, seed=6)
    with (data / "claims.csv").open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    # The first encounter's first line once more at the very end, as its line 99.
    again = dict(zip(header, rows[0], strict=True)) | {"line_number": "99"}
    with (data / "claims.csv").open("a", newline="") as handle:
        csv.writer(handle).writerow([again[name] for name in header])
    summary = import_claims(fresh_engine(tmp_path / "apart.db"), data / "claims.csv")
    assert summary.method == "general"
    assert (
        summary.bulk_declined == "an encounter_id is in the database already or twice in the file"
    )


def test_bulk_matches_on_hand_written_contract_data(tmp_path: Path) -> None:
    files = sorted(CONTRACT.glob("*.csv"))
    claims = next(path for path in files if "claims" in path.name)
    notes = next(path for path in files if "notes" in path.name)
    bulk, general = both_paths(tmp_path, claims, notes)
    assert bulk == general


def test_names_newest_non_empty_wins_across_batches(
    tmp_path: Path, claims_data: ClaimsData
) -> None:
    claims_data.claims.append(claims_data.claim("E4", 1, patient_first_name=""))
    claims_data.claims.append(claims_data.claim("E5", 1, patient_last_name="Lee-Park"))
    bulk, general = both_paths(tmp_path, *claims_data.write())
    assert bulk == general
    assert ("MRN1", "Ann", "Lee-Park", "1960-05-01", "F") in bulk["patient"]


def test_one_value_in_two_spellings_agrees(tmp_path: Path, claims_data: ClaimsData) -> None:
    claims_data.claims[1]["dx2"] = "e119"  # line 1 of E1 has E11.9
    bulk, general = both_paths(tmp_path, *claims_data.write())
    assert bulk == general


# --- declining ---------------------------------------------------------------------------


def test_scattered_encounter_goes_to_the_general_path(
    engine: Engine, claims_data: ClaimsData
) -> None:
    claims_data.claims.append(claims_data.claim("E1", 3, procedure_code="81002"))
    summary = import_claims(engine, *claims_data.write())
    assert summary.method == "general"
    assert summary.encounters == 3 and summary.lines == 6


def test_reimport_goes_to_the_general_path(engine: Engine, claims_data: ClaimsData) -> None:
    files = claims_data.write()
    import_claims(engine, *files)
    again = import_claims(engine, *files)
    assert again.method == "general"
    assert again.replaced_encounters == 3
    if engine.dialect.name == "sqlite":
        assert (
            again.bulk_declined == "an encounter_id is in the database already or twice in the file"
        )
    else:
        assert again.bulk_declined == "the database is not SQLite"


def test_bad_value_is_reported_by_the_general_path(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.claims[3]["units"] = "0"
    with pytest.raises(InputError, match=r"line 5, column units: '0' is less than 1"):
        import_claims(engine, *claims_data.write())


def test_stray_quote_is_reported_by_the_general_path(
    tmp_path: Path, claims_data: ClaimsData
) -> None:
    claims, notes = claims_data.write()
    text = claims.read_text().replace("Dr Heart", '"Dr" Heart', 1)
    claims.write_text(text)
    engine = fresh_engine(tmp_path / "quote.db")
    with pytest.raises(InputError, match="line 2"):
        import_claims(engine, claims, notes)


def test_patient_with_two_birth_dates_is_reported_by_the_general_path(
    tmp_path: Path, claims_data: ClaimsData
) -> None:
    claims_data.claims[2]["patient_dob"] = "1961-05-01"  # E2, same MRN1 as E1
    engine = fresh_engine(tmp_path / "dob.db")
    with pytest.raises(InputError, match=r"line 4, column patient_dob: '1961-05-01' disagrees"):
        import_claims(engine, *claims_data.write())


def test_xlsx_goes_to_the_general_path(engine: Engine, claims_data: ClaimsData) -> None:
    summary = import_claims(engine, *claims_data.write_xlsx())
    assert summary.method == "general"
    assert summary.bulk_declined is not None


def test_note_for_an_older_encounter_goes_to_the_general_path(
    tmp_path: Path, claims_data: ClaimsData
) -> None:
    engine = fresh_engine(tmp_path / "older.db")
    claims, notes = claims_data.write()
    import_claims(engine, claims)
    claims_data.claims = [claims_data.claim("E9", 1)]
    claims_data.notes.append(claims_data.note("E9"))
    claims, notes = claims_data.write()
    summary = import_claims(engine, claims, notes)
    assert summary.method == "general"
    assert summary.notes == 3


@pytest.mark.parametrize("bulk", [True, False])
def test_locked_database_is_a_message_not_a_traceback(
    tmp_path: Path, claims_data: ClaimsData, bulk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditkit.ingest.bulk import sqlite_writer

    monkeypatch.setattr(sqlite_writer, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "locked.db"
    fresh_engine(path)
    engine = make_engine(f"sqlite:///{path}?timeout=0.1")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="locked by another program"):
            import_claims(engine, *claims_data.write(), bulk=bulk)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()


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
    from auditkit.ingest.bulk import csv_batches

    chunk = mmap.ALLOCATIONGRANULARITY
    monkeypatch.setattr(csv_batches, "SCAN_CHUNK", chunk)
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
    parser = TimestampParser(parse_signed_at)
    try:
        expected = [parse_signed_at(text) for text in texts]
    except Invalid:
        with pytest.raises(Rejected):
            parser(pa.array(texts, pa.string()))
        return
    assert parser(pa.array(texts, pa.string())).to_pylist() == expected


def test_bulk_path_needs_sqlite_file(claims_data: ClaimsData) -> None:
    engine = make_engine("sqlite://")
    upgrade(engine)
    summary = import_claims(engine, claims_data.write()[0])
    assert summary.method == "general"
    assert summary.bulk_declined == "the SQLite database is not a plain file"
