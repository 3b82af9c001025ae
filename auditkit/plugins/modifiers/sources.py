"""The public sources the modifier rules cite, by title (one wording for every rule)."""

from __future__ import annotations

NCCI_MANUAL = (
    "CMS, National Correct Coding Initiative Policy Manual for Medicare Services, "
    "Chapter I (General Correct Coding Policies): modifiers and modifier indicators"
)
NCCI_PTP = "CMS, Medicare NCCI Procedure to Procedure (PTP) Edits: the quarterly practitioner table"
MUE = "CMS, Medicare NCCI Medically Unlikely Edits (MUEs): practitioner services table"
MODIFIER_59 = "CMS MLN fact sheet, Proper Use of Modifiers 59, XE, XP, XS and XU"
GLOBAL_SURGERY = (
    "CMS, Medicare Claims Processing Manual, Chapter 12, §30.6.6 (modifier 25) and §40 "
    "(surgeons and global surgery, modifier 57)"
)
PFS_RVU = (
    "CMS, Physician Fee Schedule Relative Value Files (PPRRVU): GLOB DAYS, PCTC IND and "
    "BILAT SURG columns and their indicator definitions"
)
ABN = (
    "CMS, Medicare Claims Processing Manual, Chapter 30 (Financial Liability Protections): "
    "modifiers GA and GZ"
)
