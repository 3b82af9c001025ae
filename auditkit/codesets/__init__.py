"""Reference code sets: the ICD-10-CM releases checks validate diagnoses against."""

from auditkit.codesets.icd10cm import CodeSets, Icd10cmRelease, ReleaseChoice
from auditkit.codesets.laterality import Side, SideAlternatives
from auditkit.codesets.loaded import LoadedIcd10cmRelease
from auditkit.codesets.references import CodeReference, undotted

__all__ = [
    "CodeReference",
    "CodeSets",
    "Icd10cmRelease",
    "LoadedIcd10cmRelease",
    "ReleaseChoice",
    "Side",
    "SideAlternatives",
    "undotted",
]
