"""MOD003 missing-modifier-25."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import billed, is_e_m, own, provider_day, without
from auditkit.plugins.modifiers.minor import minor_procedures
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD003",
    name="missing-modifier-25",
    summary=(
        "An E/M billed the same day as a minor procedure (global 000 or 010) without modifier 25."
    ),
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "A minor procedure's payment includes the usual pre-procedure assessment, so an E/M "
        "beside it is payable only when it is significant and separately identifiable, "
        "which modifier 25 asserts. Without it the E/M is bundled (denied); 57 is for the "
        "decision for a major (090-day) surgery, not a minor one."
    ),
    education_topic="Modifier 25: significant, separately identifiable E/M on a procedure day",
    references=(sources.GLOBAL_SURGERY, sources.PFS_RVU, sources.NCCI_MANUAL),
    examines=("lines",),
)


class MissingModifier25(Check):
    """Flags an E/M without modifier 25 billed beside a minor procedure.

    ## What it does
    Reads the global period (``GLOB DAYS``) of every procedure the same provider billed
    for the patient that day from the Physician Fee Schedule relative value file in effect,
    and reports each E/M line (99202-99499) of this encounter that lacks modifier 25 when
    one of those procedures has a 000 or 010 global period. Modifier 57 does not stand in
    for 25 beside a minor procedure. Procedures the fee schedule does not list, or with
    other global periods (090, XXX, ZZZ), are not judged.

    ## Why it matters
    Without 25 the E/M is bundled into the procedure; with an E/M that really was separate
    that is lost revenue, and without one the E/M should not be billed at all. Either way
    the claim as coded is wrong, so the finding asks a reviewer to read the note.

    ## Example
    ``99213`` with ``20610`` (joint injection, global 000) and no modifier.

    ## Use instead
    ``99213-25`` when the note documents a significant, separately identifiable E/M;
    otherwise bill ``20610`` alone.
    """

    rules = (RULE,)
    needs = ("pfs-rvu",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        e_ms = [
            line
            for line in own(encounter, provider_day(encounter))
            if is_e_m(line.code) and "25" not in line.modifiers
        ]
        if not e_ms:
            return
        minors = minor_procedures(encounter, context)
        if not minors:
            return
        procedure = minors[0].line
        for e_m in e_ms:
            line = e_m.line
            proposed = without(line, "57").split("-")
            audited = "-".join((*proposed, "25"))
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"line {line.line_number}: {billed(line)} is billed the same day as "
                    f"{billed(procedure)}, a minor procedure (global period 000 or 010), "
                    "without modifier 25; append 25 if the note documents a "
                    "significant, separately identifiable E/M, else do not bill the E/M"
                    + (
                        "; 57 is for the decision for major surgery"
                        if "57" in e_m.modifiers
                        else ""
                    )
                ),
                line_number=line.line_number,
                code=line.procedure_code,
                coded=billed(line),
                audited=audited,
            )
