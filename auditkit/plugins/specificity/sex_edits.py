"""Sex-specific diagnosis codes: a curated list modelled on the Medicare Code Editor.

CMS's Medicare Code Editor (MCE) flags diagnoses that conflict with the patient's sex.
Its full tables are long and change yearly; this list is auditkit's own, deliberately
conservative selection of code ranges whose meaning is tied to one sex's anatomy or to
pregnancy. Codes about both sexes (breast disorders, infertility counselling, contraception,
family history) are left out. Breast cancer codes carry the sex in their title ("... of
right female breast"), so they are recognised from the release's description instead.
Adding a range is a judgment call: prefer missing an edit to accusing a correct claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from auditkit.codesets import CodeReference
from auditkit.units import dotted

Sex = Literal["M", "F"]


@dataclass(frozen=True)
class SexEdit:
    """Codes from ``first`` to ``last`` are expected for patients of ``sex`` only."""

    sex: Sex
    first: str
    last: str
    label: str

    @property
    def reference(self) -> CodeReference:
        return CodeReference(self.first, self.last)

    @property
    def display(self) -> str:
        if self.first == self.last:
            return dotted(self.first)
        return f"{dotted(self.first)}-{dotted(self.last)}"


SEX_EDITS: tuple[SexEdit, ...] = (
    # Male anatomy
    SexEdit("M", "C60", "C63", "malignant neoplasms of male genital organs"),
    SexEdit("M", "D074", "D076", "carcinoma in situ of penis, prostate, male genital organs"),
    SexEdit("M", "D29", "D29", "benign neoplasm of male genital organs"),
    SexEdit("M", "D40", "D40", "neoplasm of uncertain behavior of male genital organs"),
    SexEdit("M", "E29", "E29", "testicular dysfunction"),
    SexEdit("M", "N40", "N53", "diseases of male genital organs"),
    SexEdit("M", "Q53", "Q55", "congenital malformations of male genital organs"),
    SexEdit("M", "R86", "R86", "abnormal findings in specimens from male genital organs"),
    SexEdit("M", "R972", "R972", "elevated prostate specific antigen"),
    SexEdit("M", "Z125", "Z125", "screening for malignant neoplasm of prostate"),
    SexEdit("M", "Z8545", "Z8549", "personal history of cancer of male genital organs"),
    # Female anatomy, pregnancy
    SexEdit("F", "C51", "C58", "malignant neoplasms of female genital organs"),
    SexEdit("F", "D06", "D06", "carcinoma in situ of cervix uteri"),
    SexEdit("F", "D070", "D073", "carcinoma in situ of female genital organs"),
    SexEdit("F", "D25", "D28", "benign neoplasms of uterus, ovary, female genital organs"),
    SexEdit("F", "D39", "D39", "neoplasm of uncertain behavior of female genital organs"),
    SexEdit("F", "E28", "E28", "ovarian dysfunction"),
    SexEdit("F", "N70", "N77", "inflammatory diseases of female pelvic organs"),
    SexEdit("F", "N80", "N98", "noninflammatory disorders of female genital tract, infertility"),
    SexEdit("F", "O00", "O9A", "pregnancy, childbirth and the puerperium"),
    SexEdit("F", "Q50", "Q52", "congenital malformations of female genital organs"),
    SexEdit("F", "R87", "R87", "abnormal findings in specimens from female genital organs"),
    SexEdit("F", "Z014", "Z014", "gynecological examination"),
    SexEdit("F", "Z124", "Z124", "screening for malignant neoplasm of cervix"),
    SexEdit("F", "Z320", "Z320", "pregnancy test"),
    SexEdit("F", "Z33", "Z34", "pregnant state, supervision of normal pregnancy"),
    SexEdit("F", "Z36", "Z37", "antenatal screening, outcome of delivery"),
    SexEdit("F", "Z39", "Z39", "postpartum care and examination"),
    SexEdit("F", "Z3A", "Z3A", "weeks of gestation"),
    SexEdit("F", "Z8540", "Z8544", "personal history of cancer of female genital organs"),
    SexEdit("F", "Z9071", "Z9072", "acquired absence of uterus, cervix or ovaries"),
)


def sex_edit(code: str, description: str) -> SexEdit | None:
    """The sex edit covering a code, from the curated ranges or its description."""
    for edit in SEX_EDITS:
        if edit.reference.matches(code):
            return edit
    lowered = description.lower()
    if "female breast" in lowered:
        return SexEdit("F", code, code, "female breast")
    if "male breast" in lowered:
        return SexEdit("M", code, code, "male breast")
    return None
