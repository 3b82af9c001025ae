"""The auditkit data model (SQLAlchemy 2, typed declarative).

Tables group into four areas:

* what was billed: patients, providers, coders, encounters, diagnoses, service lines, notes,
  and the import batches they came from;
* the audit: audits (scope and the locked scoring method), samples (the re-creatable sampling
  record) and their units;
* what the checks said: check runs (with the plugins and reference editions they used),
  rule evaluations (passed as well as failed, so the audit can show each rule ran on each
  unit), rule coverage of set-based checks, findings and their reviews;
* the figures of a run, computed once when it runs and read by every report: scores per
  audit, coder, provider, rule and department by component, and named figures
  (extrapolation, coverage, plugins' own);
* access events (EHR access logs) reviewed by set-based checks.

Schema changes go through Alembic migrations in ``auditkit/db/migrations``; never edit a
released migration, add a new one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = Numeric(12, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, Decimal: MONEY}


# --- what was billed ---------------------------------------------------------------------


class ImportBatch(Base):
    """One run of ``auditkit import``: provenance for every row it wrote."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source_name: Mapped[str] = mapped_column(String(512))
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    rows: Mapped[int] = mapped_column(Integer)
    encounters: Mapped[int] = mapped_column(Integer, default=0)
    replaced: Mapped[int] = mapped_column(Integer, default=0)


class Patient(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(String(64), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(128))
    last_name: Mapped[str | None] = mapped_column(String(128))
    dob: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    # Access review (patients.csv): relationship red flags and after-death access.
    address: Mapped[str | None] = mapped_column(String(256))
    postal_code: Mapped[str | None] = mapped_column(String(16))
    vip: Mapped[bool | None] = mapped_column()
    deceased_date: Mapped[dt.date | None] = mapped_column(Date)


class Provider(Base):
    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    npi: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str | None] = mapped_column(String(256))
    specialty: Mapped[str | None] = mapped_column(String(128))


class Coder(Base):
    __tablename__ = "coder"

    id: Mapped[int] = mapped_column(primary_key=True)
    coder_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(256))


class Encounter(Base):
    """One claim / encounter; ``encounter_key`` is the user's encounter_id."""

    __tablename__ = "encounter"
    # One index besides the key: (date, patient) bounds every audit frame by date and finds
    # a patient's other encounters that day (the patient-day view); each extra index costs
    # on every imported encounter (a year of claims is imported at once).
    __table_args__ = (Index("ix_encounter_day_patient", "date_of_service", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_key: Mapped[str] = mapped_column(String(64), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id"))
    date_of_service: Mapped[dt.date] = mapped_column(Date)
    place_of_service: Mapped[str | None] = mapped_column(String(2))
    department: Mapped[str | None] = mapped_column(String(128))
    payer: Mapped[str | None] = mapped_column(String(128))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))

    patient: Mapped[Patient] = relationship()
    provider: Mapped[Provider] = relationship()
    coder: Mapped[Coder] = relationship()


class Diagnosis(Base):
    """An ICD-10-CM code on an encounter, in claim order, as the coder typed it (upper-case,
    without the dot after the third character; a dot anywhere else is kept, so up to nine
    characters). Malformed codes are stored for SPC001 to report."""

    __tablename__ = "diagnosis"
    # Clustered on (encounter, position) in SQLite: one B-tree instead of two.
    __table_args__ = {"sqlite_with_rowid": False}

    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(9))


class ServiceLine(Base):
    """A claim line, identified by its encounter and line number (as findings cite it).

    ``procedure_code`` is kept as typed (up to eight characters and a dot), so a mistyped
    code reaches the audit (SPC001) instead of being refused at import."""

    __tablename__ = "service_line"
    __table_args__ = {"sqlite_with_rowid": False}

    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), primary_key=True)
    line_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_code: Mapped[str] = mapped_column(String(9))
    modifier1: Mapped[str | None] = mapped_column(String(2))
    modifier2: Mapped[str | None] = mapped_column(String(2))
    modifier3: Mapped[str | None] = mapped_column(String(2))
    modifier4: Mapped[str | None] = mapped_column(String(2))
    units: Mapped[int] = mapped_column(Integer)
    dx_pointers: Mapped[str | None] = mapped_column(String(32))
    charge: Mapped[Decimal] = mapped_column(MONEY)
    paid_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    denial_codes: Mapped[str | None] = mapped_column(String(256))


class Note(Base):
    __tablename__ = "note"

    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), primary_key=True)
    author_npi: Mapped[str | None] = mapped_column(String(10))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    total_time_minutes: Mapped[int | None] = mapped_column(Integer)
    mdm_level: Mapped[str | None] = mapped_column(String(16))
    note_text: Mapped[str] = mapped_column(Text)


# --- the audit ---------------------------------------------------------------------------


class Audit(Base):
    """An audit: its scope (period and filters) and the scoring method locked at creation."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scoring: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="created")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Salt of the de-identified stand-in ids: the same in every output of this audit.
    deid_salt: Mapped[str | None] = mapped_column(String(64))


class Sample(Base):
    """The sampling record PIM chapter 8 expects: enough to re-create and defend the draw."""

    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    generator: Mapped[str | None] = mapped_column(String(32))
    generator_version: Mapped[str | None] = mapped_column(String(64))
    seed: Mapped[str | None] = mapped_column(String(64))
    frame_definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    frame_size: Mapped[int] = mapped_column(Integer)
    frame_amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    frame_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    spares: Mapped[int] = mapped_column(Integer, default=0)
    design: Mapped[dict[str, Any]] = mapped_column(default=dict)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SampleUnit(Base):
    __tablename__ = "sample_unit"

    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id"), primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), primary_key=True)
    selection_order: Mapped[int] = mapped_column(Integer)
    is_spare: Mapped[bool] = mapped_column(default=False)
    stratum: Mapped[str | None] = mapped_column(String(128))
    # The random number that selected the unit (None for a census or a risk-ranked pick).
    random_number: Mapped[int | None] = mapped_column(Integer)


# --- what the checks said ----------------------------------------------------------------


class CheckRun(Base):
    """One ``audit run``: which rules (and plugin versions) were applied to which sample."""

    __tablename__ = "check_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"))  # None: no sample
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    units: Mapped[int] = mapped_column(Integer, default=0)
    # {plugin name: version} and {kind: [edition, …]} as they were when the run ran.
    plugins: Mapped[dict[str, Any]] = mapped_column(default=dict)
    references: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RuleCoverage(Base):
    """How many units of its kind a rule examined in a run, and how many it failed."""

    __tablename__ = "rule_coverage"

    run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_kind: Mapped[str] = mapped_column(String(32))
    units: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class RuleEvaluation(Base):
    """Evidence that a rule ran on a unit: passed, failed or not applicable."""

    __tablename__ = "rule_evaluation"

    run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id"), primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounter.id"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))


class StoredFinding(Base):
    """One finding as stored; the columns mirror the findings export of the contract (§6).

    ``component`` is the part of the unit it is about (diagnoses, lines, note, event), which
    the scores are split by.
    """

    __tablename__ = "finding"
    __table_args__ = (Index("ix_finding_audit_rule", "audit_id", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id"))
    rule_id: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(32))
    responsible: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[str | None] = mapped_column(String(64))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    line_number: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(16))
    event_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(64))
    patient_id: Mapped[str | None] = mapped_column(String(64))
    event_time: Mapped[dt.datetime | None] = mapped_column(DateTime)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    financial_impact: Mapped[Decimal | None] = mapped_column(MONEY)
    coded: Mapped[str | None] = mapped_column(String(64))
    audited: Mapped[str | None] = mapped_column(String(64))
    component: Mapped[str | None] = mapped_column(String(16))


class Review(Base):
    """An auditor's decision on a finding (confirm, dismiss, rebut), kept as history."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(128))
    decision: Mapped[str] = mapped_column(String(16))
    rationale: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Score(Base):
    """Accuracy of one subject on one audit, by component and measure, stored at run time.

    Subjects: the whole ``audit``, each ``coder``, ``provider``, ``department`` and ``rule``.
    Components: ``all``, ``diagnoses`` (header codes), ``lines`` (service lines). Measures:
    ``code`` (code-over-code) and ``encounter`` (record-over-record). ``accuracy`` and
    ``passed`` are empty when no enabled rule could examine that part or person: not
    reviewed, never a pass.
    """

    __tablename__ = "score"
    __table_args__ = (
        UniqueConstraint("audit_id", "subject_type", "subject_key", "component", "measure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id"))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_key: Mapped[str] = mapped_column(String(64))
    subject_name: Mapped[str | None] = mapped_column(String(256))
    component: Mapped[str] = mapped_column(String(16))
    measure: Mapped[str] = mapped_column(String(16))
    correct: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    accuracy: Mapped[float | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()
    findings: Mapped[int] = mapped_column(Integer, default=0)


class RunFigure(Base):
    """A named figure of a run (extrapolation, coverage, a plugin's own), as JSON."""

    __tablename__ = "run_figure"

    run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- access review ------------------------------------------------------------------------


class AccessEvent(Base):
    """One access to a patient's record in an EHR access log (contract §3)."""

    __tablename__ = "access_event"
    __table_args__ = (Index("ix_access_event_time", "timestamp"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    timestamp: Mapped[dt.datetime] = mapped_column(DateTime)
    user_id: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    workstation: Mapped[str | None] = mapped_column(String(128))
    source: Mapped[str | None] = mapped_column(String(128))
    break_glass: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    # Days since 1970-01-01 of the timestamp, set by the importer: the review groups by it.
    day: Mapped[int | None] = mapped_column(Integer)


# --- the tool's own access trail ----------------------------------------------------------


class AccessTrailEntry(Base):
    """Who did what to which PHI through auditkit, chained by hashes so edits show.

    Each entry's ``entry_hash`` covers its content and the previous entry's hash; changing,
    deleting or reordering entries breaks the chain, which ``auditkit trail verify`` reports.
    """

    __tablename__ = "access_trail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(128))
    command: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # read | write
    subject: Mapped[str] = mapped_column(String(256))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


# --- reference data -----------------------------------------------------------------------


class RefdataLoad(Base):
    """One CMS/NCHS file loaded by ``auditkit refdata load``: the provenance of its rows.

    ``edition`` groups the loads that together make one publication (the four code-range
    parts of a quarter's PTP table share ``ccipra-v322r0``). The effective period bounds the
    dates of service the file governs; ``effective_to`` is empty when open-ended.

    The rows tables carry ``load_id`` without a foreign key: a PTP table is over a million
    rows, and PostgreSQL checks a foreign key with one trigger call per row (that more than
    doubled the load time). Rows are written only by ``RefdataKind.load``, in the same
    transaction as their load record.
    """

    __tablename__ = "refdata_load"
    __table_args__ = (UniqueConstraint("kind", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    edition: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RefdataPtpEdit(Base):
    """One NCCI procedure-to-procedure edit (column 1 / column 2 pair) of a load."""

    __tablename__ = "refdata_ptp_edit"
    __table_args__ = (Index("ix_refdata_ptp_edit_pair", "load_id", "column1", "column2"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(Integer)  # refdata_load.id; see RefdataLoad
    column1: Mapped[str] = mapped_column(String(5))
    column2: Mapped[str] = mapped_column(String(5))
    prior_1996: Mapped[bool] = mapped_column()
    effective_date: Mapped[dt.date] = mapped_column(Date)
    deletion_date: Mapped[dt.date | None] = mapped_column(Date)
    modifier_indicator: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str | None] = mapped_column(String(256))


class RefdataMue(Base):
    """One Medically Unlikely Edit: the most units of a code per line or per day."""

    __tablename__ = "refdata_mue"
    __table_args__ = (Index("ix_refdata_mue_code", "load_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(Integer)  # refdata_load.id; see RefdataLoad
    code: Mapped[str] = mapped_column(String(5))
    value: Mapped[int] = mapped_column(Integer)
    adjudication_indicator: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str | None] = mapped_column(String(256))


class RefdataRvu(Base):
    """One row of the Physician Fee Schedule relative value file (code + modifier).

    No description is kept: for CPT codes it is AMA text.
    """

    __tablename__ = "refdata_rvu"
    __table_args__ = (Index("ix_refdata_rvu_code", "load_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(Integer)  # refdata_load.id; see RefdataLoad
    code: Mapped[str] = mapped_column(String(5))
    modifier: Mapped[str] = mapped_column(String(2))  # "" when the row has none
    status: Mapped[str] = mapped_column(String(1))
    work_rvu: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    non_facility_pe_rvu: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    facility_pe_rvu: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    mp_rvu: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    non_facility_total: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    facility_total: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    pctc_indicator: Mapped[str] = mapped_column(String(1))
    global_days: Mapped[str] = mapped_column(String(3))
    multiple_procedure: Mapped[str] = mapped_column(String(1))
    bilateral_surgery: Mapped[str] = mapped_column(String(1))
    assistant_surgery: Mapped[str] = mapped_column(String(1))
    co_surgery: Mapped[str] = mapped_column(String(1))
    team_surgery: Mapped[str] = mapped_column(String(1))
    conversion_factor: Mapped[Decimal] = mapped_column(Numeric(9, 4))


class RefdataHcpcs(Base):
    """One HCPCS Level II code or modifier, continuation records joined."""

    __tablename__ = "refdata_hcpcs"
    __table_args__ = (Index("ix_refdata_hcpcs_code", "load_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(Integer)  # refdata_load.id; see RefdataLoad
    code: Mapped[str] = mapped_column(String(5))
    is_modifier: Mapped[bool] = mapped_column()
    long_description: Mapped[str] = mapped_column(Text)
    short_description: Mapped[str] = mapped_column(String(28))
    add_date: Mapped[dt.date | None] = mapped_column(Date)
    action_effective_date: Mapped[dt.date | None] = mapped_column(Date)
    termination_date: Mapped[dt.date | None] = mapped_column(Date)
    action_code: Mapped[str] = mapped_column(String(1))


class RefdataIcd10cm(Base):
    """One code of a loaded ICD-10-CM release, with its billable (HIPAA-valid) flag."""

    __tablename__ = "refdata_icd10cm"
    __table_args__ = (Index("ix_refdata_icd10cm_code", "load_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    load_id: Mapped[int] = mapped_column(Integer)  # refdata_load.id; see RefdataLoad
    code: Mapped[str] = mapped_column(String(7))
    billable: Mapped[bool] = mapped_column()
    description: Mapped[str] = mapped_column(Text)


class RefdataEntry(Base):
    """A keyed row of a plugin's own reference kind (built-in kinds have their own tables)."""

    __tablename__ = "refdata_entry"

    load_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- access review (workforce, care team) -------------------------------------------------


class Workforce(Base):
    """A workforce account (workforce.csv): who may open records, and how they relate."""

    __tablename__ = "workforce"
    # HIP003 looks up "is this patient a member of staff" for every reviewed case.
    __table_args__ = (Index("ix_workforce_patient", "patient_id"),)

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_name: Mapped[str | None] = mapped_column(String(128))
    last_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str | None] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(128))
    npi: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(256))
    postal_code: Mapped[str | None] = mapped_column(String(16))
    hire_date: Mapped[dt.date | None] = mapped_column(Date)
    termination_date: Mapped[dt.date | None] = mapped_column(Date)
    patient_id: Mapped[str | None] = mapped_column(String(64))  # the user's own MRN
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class CareTeam(Base):
    """An explicit treatment relationship (care_team.csv) between a user and a patient."""

    __tablename__ = "care_team"
    __table_args__ = (Index("ix_care_team_user_patient", "user_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class AccessReviewLink(Base):
    """Working rows of one run: the treatment links (encounters) that can explain accesses,
    by patient and day number (days since 1970-01-01), indexed for the explanation step."""

    __tablename__ = "access_review_link"
    __table_args__ = (Index("ix_access_review_link_patient", "run_id", "patient_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[int] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(128))
    npi: Mapped[str | None] = mapped_column(String(10))


class AccessReviewCase(Base):
    """One user's accesses to one patient on one day that raised at least one flag, with
    what the explanation step tried and found (the evidence of the run's HIP findings)."""

    __tablename__ = "access_review_case"
    __table_args__ = (Index("ix_access_review_case_run", "run_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(64))
    patient_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[int] = mapped_column(Integer)
    first_event: Mapped[int] = mapped_column(Integer)  # access_event.id
    events: Mapped[int] = mapped_column(Integer)
    after_hours: Mapped[bool] = mapped_column()
    by_department: Mapped[bool] = mapped_column()
    by_provider: Mapped[bool] = mapped_column()
    by_care_team: Mapped[bool] = mapped_column()
    by_role: Mapped[bool] = mapped_column()
    known_user: Mapped[bool] = mapped_column()
    same_name: Mapped[bool] = mapped_column()
    coworker: Mapped[bool] = mapped_column()
    self_access: Mapped[bool] = mapped_column()
    vip: Mapped[bool] = mapped_column()
    terminated: Mapped[bool] = mapped_column()
    same_address: Mapped[bool] = mapped_column()
    deceased: Mapped[bool] = mapped_column()


class AccessReviewUserDay(Base):
    """Unique patients each user opened each day of a run's period (HIP009's baseline)."""

    __tablename__ = "access_review_user_day"

    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    patients: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    off_hours: Mapped[int] = mapped_column(Integer)  # events outside usual hours
    first_event: Mapped[int] = mapped_column(Integer)


class AccessReviewUserHour(Base):
    """How many accesses each user made in each hour of the day over a run's period: the
    user's usual hours (HIP011)."""

    __tablename__ = "access_review_user_hour"

    run_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
