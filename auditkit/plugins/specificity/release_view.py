"""What every specificity check needs first: the release and the codes it can judge.

SPC001 reports codes the release does not know; SPC002 reports codes that become valid
with placeholder X's. Every other check reads only :func:`valid_diagnoses`, so a code is
never reported twice (once as invalid, again for what it might have meant).
"""

from __future__ import annotations

from auditkit.codesets import Icd10cmRelease
from auditkit.units import DiagnosisRecord, EncounterRecord


def valid_diagnoses(encounter: EncounterRecord, release: Icd10cmRelease) -> list[DiagnosisRecord]:
    """The encounter's diagnoses whose codes exist in the release, in claim order."""
    return [dx for dx in encounter.diagnoses if release.is_valid(dx.code)]
