"""The curated clinical library: what patients come in with and how it is coded correctly.

Each condition carries its correct, fully specific ICD-10-CM code(s), per side when the
condition is lateral, the words clinicians use for it, the services that typically go with
it, and the raw material error injectors need (a tempting Excludes1 partner, a code a
careless coder might pick for the wrong sex or age, a code deleted from the release). The
library is validated against simple_icd_10_cm when first built (see ``library.py``), so a
new release cannot silently make a "clean" code invalid.

Template placeholders in lateral conditions: ``{loc}`` (object form: "the right knee",
"both knees"), ``{adj}`` (attributive: "R knee", "bilateral knee"), ``{sided}``
("left-sided") and ``{abbr}`` ("OD"); the last two only when the note states a side.
Non-lateral text names no side at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

FM = "Family Medicine"
IM = "Internal Medicine"
ORTHO = "Orthopedic Surgery"
DERM = "Dermatology"
OPH = "Ophthalmology"
OBGYN = "Obstetrics & Gynecology"
URO = "Urology"
NEURO = "Neurology"
SPECIALTIES = (FM, IM, ORTHO, DERM, OPH, OBGYN, URO, NEURO)
PRIMARY_CARE = (FM, IM)

SIDE_WORDS = re.compile(
    r"\b(?:(?i:right|left|bilateral|bilaterally|both|rt|lt|bilat)|R|L|OD|OS|OU)\b|\bb/l\b"
)
"""Every way the notes name a side; text that must not state a side may match none."""

ROS_SYSTEMS = (
    "constitutional",
    "eyes",
    "ent",
    "cardio",
    "resp",
    "gi",
    "gu",
    "msk",
    "skin",
    "neuro",
    "psych",
    "endo",
)


@dataclass(frozen=True)
class Site:
    """Body part of a lateral condition; ``abbrev`` holds side shorthands such as OD/OS/OU."""

    one: str
    many: str
    abbrev: Mapping[str, str] = field(default_factory=dict)  # {abbr}: OD / OS / OU
    forms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # {loc} overrides


@dataclass(frozen=True)
class Line:
    """One billable service line a condition can bring along (CPT/HCPCS number only)."""

    code: str
    units: tuple[int, int] = (1, 1)
    lateral: bool = False  # RT/LT by the documented side, 50 (or two lines) when bilateral
    minor: bool = False  # global 000/010 procedure: a same-day E/M needs modifier 25
    waived: bool = False  # CLIA-waived test: QW for Medicare
    split_bilateral: bool = False  # bilateral is billed as an RT line plus an LT line
    per_side: bool = False  # drug units double when both sides are treated


@dataclass(frozen=True)
class Service:
    """A procedure or test done for a condition at the visit, with how the note records it."""

    chance: float
    lines: tuple[Line, ...]
    text: tuple[str, ...] = ()

    @property
    def lateral(self) -> bool:
        """A lateral service needs a documented side."""
        return any(line.lateral for line in self.lines)


@dataclass(frozen=True)
class Partner:
    """A code a coder tends to add alongside the condition although Excludes1 forbids it."""

    code: str
    mention: str  # sentence in the history that tempts the coder
    why: str  # short clinical reason the pair is wrong


@dataclass(frozen=True, eq=False)
class Condition:
    """One clinical condition and everything needed to document and code it.

    Compared and hashed by identity: each condition exists once, in ``CONDITIONS``.
    """

    key: str
    codes: tuple[str, ...] = ()
    sided: Mapping[str, tuple[str, ...]] | None = None
    sides: tuple[str, ...] = ("R", "L", "B")
    site: Site | None = None
    names: tuple[str, ...] = ()
    complaint: tuple[str, ...] = ()
    hpi: tuple[str, ...] = ()
    exam: tuple[str, ...] = ()
    plan: tuple[str, ...] = ()
    ros: str = ""
    systems: frozenset[str] = frozenset()
    where: tuple[str, ...] = PRIMARY_CARE
    comorbid: bool = False
    role: str = "any"  # "primary", "secondary" or "any"
    sex: str | None = None
    ages: tuple[int, int] = (18, 95)
    services: tuple[Service, ...] = ()
    partner: Partner | None = None
    slips: tuple[str, ...] = ()
    deleted: Mapping[str, str] = field(default_factory=dict)
    manifestation: tuple[str, str] | None = None  # (code-first code, its underlying code)
    conflicts: frozenset[str] = frozenset()
    bmi: tuple[float, float] | None = None

    @property
    def lateral(self) -> bool:
        """Lateral conditions are coded by the side the note documents."""
        return self.sided is not None

    def codes_for(self, side: str | None) -> tuple[str, ...]:
        """Correct codes for the documented side (None = note names no side)."""
        if self.sided is None:
            return self.codes
        if side is None:
            return self.sided["U"]
        if side == "B" and "B" not in self.sided:
            return self.sided["R"] + self.sided["L"]
        return self.sided[side]

    def all_codes(self) -> tuple[str, ...]:
        """Every code the condition can be coded with, any side."""
        if self.sided is None:
            return self.codes
        return tuple(dict.fromkeys(code for codes in self.sided.values() for code in codes))

    def fits(self, sex: str, age: int) -> bool:
        """Whether a patient of this sex and age can have the condition."""
        return (self.sex is None or self.sex == sex) and self.ages[0] <= age <= self.ages[1]


def _sided(right: str, left: str, unspecified: str, both: str | None = None) -> Mapping:
    sides = {"R": (right,), "L": (left,), "U": (unspecified,)}
    if both:
        sides["B"] = (both,)
    return MappingProxyType(sides)


def _svc(chance: float, *lines: Line, text: tuple[str, ...] = ()) -> Service:
    return Service(chance, lines, text)


VENIPUNCTURE = Line("36415")
_EYE = Site("eye", "eyes", {"R": "OD", "L": "OS", "B": "OU"})
_EAR = Site("ear", "ears")
_KNEE = Site("knee", "knees")

_KNEE_INJECTION = _svc(
    0.3,
    Line("20610", lateral=True, minor=True),
    Line("J3301", units=(4, 4), per_side=True),
    text=(
        (
            "Procedure: corticosteroid injection of {loc}. Verbal consent after discussing "
            "infection, bleeding and post-injection flare. Skin prepped with chlorhexidine; "
            "triamcinolone 40 mg with 4 mL 1% lidocaine injected per joint. Tolerated well."
        ),
        (
            "Joint injection, {loc}: time-out performed, sterile prep, 40 mg triamcinolone plus "
            "lidocaine instilled into each treated joint without complication. Band-aid applied."
        ),
    ),
)
_KNEE_XRAY = _svc(
    0.2,
    Line("73562", lateral=True, split_bilateral=True),
    text=("X-ray of {loc}, three views, obtained in clinic and reviewed today.",),
)

CONDITIONS: tuple[Condition, ...] = (
    # ---- chronic disease, primary care --------------------------------------------------
    Condition(
        "hypertension",
        codes=("I10",),
        names=("essential hypertension", "hypertension", "HTN", "high blood pressure"),
        complaint=("blood pressure follow-up", "BP recheck", "hypertension follow-up"),
        hpi=(
            "Home blood pressure readings mostly in the 130s over 80s.",
            "Taking lisinopril daily; no missed doses reported.",
            "Checks pressure at the pharmacy kiosk, recent values 140s/90s.",
        ),
        exam=("Heart regular rate and rhythm, no murmur. No peripheral edema.",),
        plan=(
            "Continue current antihypertensive, low-sodium diet reviewed.",
            "Increase amlodipine to 10 mg daily; recheck in four weeks.",
            "Goal under 130/80 discussed; basic metabolic panel ordered.",
        ),
        ros="occasional morning headaches",
        systems=frozenset({"cardio"}),
        comorbid=True,
        ages=(25, 95),
        conflicts=frozenset({"ckd_anemia"}),
        services=(
            _svc(
                0.1,
                Line("93000"),
                text=(("12-lead ECG performed and interpreted: sinus rhythm, no acute changes."),),
            ),
        ),
    ),
    Condition(
        "t2dm",
        codes=("E11.9",),
        names=(
            "type 2 diabetes mellitus without complications",
            "type 2 diabetes",
            "T2DM, uncomplicated",
            "non-insulin-dependent diabetes",
        ),
        complaint=("diabetes follow-up", "diabetes check", "sugar follow-up"),
        hpi=(
            "On metformin 1000 mg twice daily, tolerating it well.",
            "Fasting sugars at home mostly 110 to 130.",
            "Last A1c was 6.9%; no hypoglycemic episodes.",
        ),
        exam=("Monofilament sensation intact in the feet. Pedal pulses palpable.",),
        plan=(
            "Continue metformin; A1c today. Annual eye exam reminder given.",
            "Diet and activity counseling; recheck A1c in three months.",
        ),
        ros="increased thirst at times",
        systems=frozenset({"endo"}),
        comorbid=True,
        ages=(30, 95),
        conflicts=frozenset({"t2dm_hyperglycemia", "prediabetes"}),
        services=(
            _svc(0.45, Line("83036"), VENIPUNCTURE, text=("Hemoglobin A1c drawn in clinic.",)),
        ),
        partner=Partner(
            "R73.9",
            "Fingerstick glucose in clinic today was 248.",
            "hyperglycemia is part of diabetes and is excluded from E08-E13",
        ),
    ),
    Condition(
        "t2dm_hyperglycemia",
        codes=("E11.65",),
        names=(
            "type 2 diabetes with hyperglycemia",
            ("uncontrolled type 2 diabetes with hyperglycemia"),
            "T2DM with hyperglycemia",
        ),
        complaint=("high blood sugars", "diabetes follow-up"),
        hpi=(
            "A1c 9.4% last month; fasting readings above 200.",
            "Admits to dietary lapses over the holidays; sugars running high.",
        ),
        exam=("Feet without ulcers; sensation intact to monofilament.",),
        plan=(
            "Add empagliflozin 10 mg daily; nutrition referral placed.",
            "Titrate glipizide; glucose log to be reviewed in two weeks.",
        ),
        ros="polyuria and thirst",
        systems=frozenset({"endo", "gu"}),
        comorbid=True,
        ages=(30, 95),
        conflicts=frozenset({"t2dm", "prediabetes"}),
        services=(_svc(0.5, Line("83036"), VENIPUNCTURE, text=("A1c drawn today.",)),),
        partner=Partner(
            "E10.9",
            "Old outside records label the diabetes as type 1; antibody testing was negative.",
            "type 1 and type 2 diabetes exclude each other",
        ),
    ),
    Condition(
        "prediabetes",
        codes=("R73.03",),
        names=("prediabetes", "impaired fasting glucose (prediabetes)", "pre-diabetes"),
        complaint=("abnormal lab follow-up", "prediabetes follow-up"),
        hpi=("A1c 6.1% on screening labs.", "Fasting glucose 112 on recent labs."),
        exam=("No acanthosis nigricans.",),
        plan=(
            "Lifestyle modification; recheck A1c in six months.",
            "Referred to diabetes prevention program.",
        ),
        ros="",
        systems=frozenset({"endo"}),
        comorbid=True,
        ages=(25, 95),
        conflicts=frozenset({"t2dm", "t2dm_hyperglycemia"}),
        services=(_svc(0.4, Line("83036"), VENIPUNCTURE, text=("A1c drawn in clinic.",)),),
    ),
    Condition(
        "hyperlipidemia",
        codes=("E78.5",),
        names=("hyperlipidemia", "HLD", "elevated cholesterol (hyperlipidemia)", "dyslipidemia"),
        complaint=("cholesterol follow-up", "lab review"),
        hpi=("On atorvastatin 20 mg, no muscle aches.", "LDL 162 on last panel."),
        exam=("No xanthomas.",),
        plan=(
            "Continue statin; fasting lipid panel today.",
            "Start rosuvastatin 10 mg; recheck lipids in eight weeks.",
        ),
        systems=frozenset({"cardio"}),
        comorbid=True,
        ages=(25, 95),
        services=(_svc(0.35, Line("80061"), VENIPUNCTURE, text=("Lipid panel drawn in clinic.",)),),
    ),
    Condition(
        "hypothyroidism",
        codes=("E03.9",),
        names=("hypothyroidism", "primary hypothyroidism", "underactive thyroid"),
        complaint=("thyroid follow-up", "fatigue"),
        hpi=("On levothyroxine 75 mcg; energy improved.", "TSH 6.8 on last check."),
        exam=("Thyroid not enlarged, no nodules palpated.",),
        plan=(
            "Adjust levothyroxine to 88 mcg; TSH in six weeks.",
            "Continue current dose; TSH today.",
        ),
        ros="mild fatigue",
        systems=frozenset({"endo", "constitutional"}),
        comorbid=True,
        services=(_svc(0.35, Line("84443"), VENIPUNCTURE, text=("TSH drawn today.",)),),
    ),
    Condition(
        "gerd",
        codes=("K21.9",),
        names=("GERD", "gastroesophageal reflux", "acid reflux without esophagitis"),
        complaint=("heartburn", "reflux symptoms"),
        hpi=(
            "Burning epigastric discomfort after meals, worse lying down.",
            "Heartburn several nights a week despite antacids.",
        ),
        exam=("Abdomen soft, mild epigastric tenderness, no guarding.",),
        plan=(
            "Start omeprazole 20 mg daily before breakfast; elevate head of bed.",
            "Avoid late meals, caffeine and alcohol; reassess in eight weeks.",
        ),
        ros="heartburn",
        systems=frozenset({"gi"}),
        comorbid=True,
    ),
    Condition(
        "obesity",
        codes=("E66.9", "Z68.35"),
        names=(
            "obesity, BMI 35-35.9",
            "obesity with BMI in the 35 range",
            "class II obesity (BMI 35)",
        ),
        hpi=("Weight up eight pounds since last visit.",),
        plan=(
            "Dietary counseling provided; discussed GLP-1 options.",
            "Encouraged 150 minutes of activity weekly; dietitian referral.",
        ),
        systems=frozenset(),
        comorbid=True,
        role="secondary",
        bmi=(35.0, 35.9),
    ),
    Condition(
        "tobacco",
        codes=("F17.210",),
        names=(
            "nicotine dependence, cigarettes",
            "tobacco use disorder (cigarettes)",
            "current cigarette smoker",
        ),
        hpi=("Smokes about a pack per day.", "Smoking half a pack daily."),
        plan=(
            "Cessation counseling given; nicotine patch started.",
            "Discussed varenicline; patient will consider a quit date.",
        ),
        systems=frozenset({"resp"}),
        comorbid=True,
        role="secondary",
        partner=Partner(
            "Z87.891",
            "Has tried to quit several times in the past.",
            "current dependence and history of dependence exclude each other",
        ),
    ),
    Condition(
        "vitamin_d",
        codes=("E55.9",),
        names=("vitamin D deficiency", "low vitamin D"),
        complaint=("lab follow-up",),
        hpi=("25-OH vitamin D 18 on recent labs.",),
        plan=("Start cholecalciferol 2000 units daily; recheck level in three months.",),
        systems=frozenset({"endo"}),
        comorbid=True,
        services=(_svc(0.3, Line("82306"), VENIPUNCTURE, text=("Vitamin D level drawn.",)),),
    ),
    Condition(
        "anxiety",
        codes=("F41.1",),
        names=("generalized anxiety disorder", "GAD", "chronic generalized anxiety"),
        complaint=("anxiety", "worry and poor sleep"),
        hpi=(
            "Excessive worry most days for over six months; GAD-7 score 13.",
            "Difficulty relaxing, irritability and muscle tension.",
        ),
        exam=("Alert, anxious affect, linear thought process.",),
        plan=(
            "Start sertraline 25 mg daily; therapy referral.",
            "Continue escitalopram; counseled on sleep hygiene.",
        ),
        ros="nervousness",
        systems=frozenset({"psych"}),
        comorbid=True,
        services=(_svc(0.3, Line("96127"), text=("GAD-7 administered and scored.",)),),
    ),
    Condition(
        "depression",
        codes=("F32.A",),
        names=("depression", "depressive disorder", "depressed mood disorder"),
        complaint=("low mood", "depression follow-up"),
        hpi=(
            "Low mood and loss of interest for several weeks; PHQ-9 score 12.",
            "Sleeping poorly, low energy; no thoughts of self-harm.",
        ),
        exam=("Flat affect, good eye contact, judgment intact.",),
        plan=(
            "Start sertraline 50 mg; behavioral health referral.",
            "Safety plan reviewed; follow up in four weeks.",
        ),
        ros="low mood",
        systems=frozenset({"psych"}),
        comorbid=True,
        services=(_svc(0.3, Line("96127"), text=("PHQ-9 administered and scored.",)),),
        partner=Partner(
            "F33.1",
            "Had a similar depressive episode about ten years ago.",
            "single-episode and recurrent depression exclude each other",
        ),
    ),
    Condition(
        "migraine",
        codes=("G43.909",),
        names=(
            "migraine",
            "migraine headache, not intractable",
            ("migraine without status migrainosus"),
        ),
        complaint=("headaches", "migraines"),
        hpi=(
            "Throbbing headaches with light sensitivity, about two per month.",
            "Episodic headaches with nausea, relieved by sleep.",
        ),
        exam=("Cranial nerves intact, no focal deficits. Fundi not examined.",),
        plan=(
            "Sumatriptan 50 mg as needed; headache diary.",
            "Start propranolol for prevention; limit analgesic use.",
        ),
        ros="headaches",
        systems=frozenset({"neuro"}),
        where=(FM, IM, NEURO),
        comorbid=True,
    ),
    Condition(
        "afib",
        codes=("I48.91",),
        names=(
            "atrial fibrillation",
            "AF",
            ("paroxysmal-pattern atrial fibrillation, type unspecified"),
        ),
        complaint=("palpitations", "AFib follow-up"),
        hpi=("Intermittent palpitations; on apixaban.", "Rate-controlled on metoprolol."),
        exam=("Irregularly irregular rhythm, rate 84.",),
        plan=(
            "Continue anticoagulation; CHA2DS2-VASc reviewed.",
            "Continue metoprolol; echocardiogram ordered.",
        ),
        ros="palpitations",
        systems=frozenset({"cardio"}),
        where=(IM, FM),
        comorbid=True,
        ages=(45, 95),
        services=(
            _svc(
                0.4,
                Line("93000"),
                text=(("ECG in clinic: atrial fibrillation, controlled ventricular rate."),),
            ),
        ),
    ),
    Condition(
        "cad",
        codes=("I25.10",),
        names=("coronary artery disease", "CAD without angina", ("atherosclerotic heart disease")),
        complaint=("cardiac follow-up",),
        hpi=("History of stent placement; no exertional chest pain.",),
        exam=("Regular rhythm, no murmur or gallop.",),
        plan=("Continue aspirin and high-intensity statin.",),
        systems=frozenset({"cardio"}),
        where=(IM,),
        comorbid=True,
        ages=(45, 95),
    ),
    Condition(
        "asthma",
        codes=("J45.20",),
        names=(
            "mild intermittent asthma",
            "asthma, mild intermittent, uncomplicated",
            "intermittent asthma",
        ),
        complaint=("asthma follow-up", "shortness of breath with exercise"),
        hpi=(
            "Uses albuterol about once a week; no night awakenings.",
            "Symptoms triggered by cold air and exercise.",
        ),
        exam=("Lungs clear, good air movement, no accessory muscle use.",),
        plan=("Albuterol as needed; asthma action plan updated.", "Spacer technique reviewed."),
        ros="chest tightness with exercise",
        systems=frozenset({"resp"}),
        comorbid=True,
        ages=(18, 80),
        services=(
            _svc(
                0.15,
                Line("94640"),
                Line("J7613", units=(1, 3)),
                text=(("Nebulized albuterol treatment given in clinic with improvement."),),
            ),
        ),
        partner=Partner(
            "R06.2",
            "Reports intermittent wheezing with exercise.",
            "wheezing NOS is excluded from asthma (J45)",
        ),
    ),
    Condition(
        "copd",
        codes=("J44.9",),
        names=("COPD", "chronic obstructive pulmonary disease", "emphysema/COPD"),
        complaint=("COPD follow-up", "breathing check"),
        hpi=("Stable dyspnea on exertion; uses tiotropium daily.",),
        exam=("Prolonged expiratory phase, no crackles.",),
        plan=("Continue maintenance inhaler; pulmonary rehab discussed.",),
        ros="dyspnea on exertion",
        systems=frozenset({"resp"}),
        comorbid=True,
        ages=(45, 95),
        services=(_svc(0.15, Line("94010"), text=("Spirometry performed in clinic.",)),),
    ),
    Condition(
        "osa",
        codes=("G47.33",),
        names=("obstructive sleep apnea", "OSA", "sleep apnea, obstructive"),
        hpi=("Using CPAP nightly with good adherence.",),
        plan=("Continue CPAP.",),
        systems=frozenset(),
        comorbid=True,
        role="secondary",
    ),
    Condition(
        "ckd_anemia",
        codes=("I12.9", "N18.31", "D63.1"),
        names=(
            "hypertensive chronic kidney disease, stage 3a, with anemia of CKD",
            "CKD stage 3a due to hypertension with associated anemia",
        ),
        complaint=("kidney function follow-up",),
        hpi=("eGFR 52 on recent labs; hemoglobin 10.4.",),
        exam=("Trace ankle edema.",),
        plan=("Avoid NSAIDs; CBC and CMP today; nephrology co-management.",),
        systems=frozenset({"gu"}),
        where=(IM,),
        comorbid=True,
        ages=(45, 95),
        conflicts=frozenset({"hypertension"}),
        manifestation=("D63.1", "N18.31"),
        services=(
            _svc(0.5, Line("85025"), Line("80053"), VENIPUNCTURE, text=("CBC and CMP drawn.",)),
        ),
    ),
    Condition(
        "alzheimer_dementia",
        codes=("G30.9", "F02.80"),
        names=(
            "dementia due to Alzheimer disease",
            "Alzheimer's disease with dementia",
            "Alzheimer dementia, mild",
        ),
        complaint=("memory follow-up",),
        hpi=(
            "Daughter reports steady memory decline over two years.",
            "Needs help with finances; still dressing independently.",
        ),
        exam=("MoCA 19/30. Oriented to person and place.",),
        plan=("Continue donepezil; safety and driving discussed with family.",),
        ros="forgetfulness",
        systems=frozenset({"neuro", "psych"}),
        where=(IM, FM, NEURO),
        comorbid=True,
        ages=(62, 95),
        manifestation=("F02.80", "G30.9"),
        partner=Partner(
            "F03.90",
            "Old problem list carries a label of senile dementia.",
            "Alzheimer disease excludes unspecified dementia (F03)",
        ),
    ),
    Condition(
        "parkinson_dementia",
        codes=("G20.A1", "F02.80"),
        names=("Parkinson disease with dementia", "dementia in Parkinson's disease"),
        complaint=("Parkinson follow-up",),
        hpi=("Resting tremor stable on carbidopa-levodopa; new word-finding difficulty.",),
        exam=("Cogwheel rigidity, masked facies. MoCA 21/30.",),
        plan=("Continue carbidopa-levodopa; cognitive therapy referral.",),
        systems=frozenset({"neuro"}),
        where=(NEURO,),
        ages=(60, 95),
        manifestation=("F02.80", "G20.A1"),
        conflicts=frozenset({"alzheimer_dementia"}),
    ),
    Condition(
        "b12_neuropathy",
        codes=("E53.8", "G63"),
        names=(
            "vitamin B12 deficiency with peripheral polyneuropathy",
            "polyneuropathy due to B12 deficiency",
        ),
        complaint=("numbness in the feet", "tingling in the feet"),
        hpi=("Stocking-distribution numbness; B12 level 150 last month.",),
        exam=("Reduced vibration sense at the toes; ankle reflexes diminished.",),
        plan=("Monthly cyanocobalamin injections; recheck B12 in three months.",),
        ros="numbness in the feet",
        systems=frozenset({"neuro"}),
        where=(FM, IM, NEURO),
        comorbid=True,
        ages=(40, 95),
        manifestation=("G63", "E53.8"),
        services=(
            _svc(
                0.6,
                Line("96372"),
                Line("J3420"),
                text=("Cyanocobalamin 1000 mcg given IM in the deltoid.",),
            ),
        ),
    ),
    Condition(
        "multiple_sclerosis",
        codes=("G35.D",),
        names=("multiple sclerosis", "MS"),
        complaint=("MS follow-up",),
        hpi=("No new relapses; fatigue in the afternoons.",),
        exam=("Mild spasticity, gait steady.",),
        plan=("Continue disease-modifying therapy; MRI in six months.",),
        ros="fatigue",
        systems=frozenset({"neuro"}),
        where=(NEURO,),
        ages=(20, 70),
    ),
    Condition(
        "drug_rash",
        codes=("L27.0", "T36.0X5A"),
        names=(
            "drug eruption due to amoxicillin",
            ("generalized rash from penicillin-class antibiotic"),
            "amoxicillin-related drug rash",
        ),
        complaint=("rash", "itchy rash"),
        hpi=("Diffuse itchy rash began on day six of amoxicillin for sinusitis.",),
        exam=("Morbilliform eruption over trunk and arms, no mucosal involvement.",),
        plan=("Stop amoxicillin; cetirizine and triamcinolone cream; allergy list updated.",),
        ros="itchy rash",
        systems=frozenset({"skin"}),
        where=(FM, IM, DERM),
        manifestation=("T36.0X5A", "L27.0"),
        partner=Partner(
            "T78.40XA",
            "Patient describes this as an allergy to amoxicillin.",
            "drug eruption (L27) excludes allergy NOS (T78.40)",
        ),
    ),
    # ---- acute primary care ---------------------------------------------------------------
    Condition(
        "uri",
        codes=("J06.9",),
        names=("acute upper respiratory infection", "viral URI", "common cold"),
        complaint=("cold symptoms", "congestion and cough"),
        hpi=("Three days of congestion, sneezing and mild cough.",),
        exam=("Nasal mucosa boggy, oropharynx mildly erythematous.",),
        plan=("Supportive care, fluids, saline rinses; return if fever persists.",),
        ros="nasal congestion",
        systems=frozenset({"ent", "resp"}),
        role="primary",
    ),
    Condition(
        "pharyngitis",
        codes=("J02.9",),
        names=("acute pharyngitis", "sore throat (pharyngitis)", "viral pharyngitis"),
        complaint=("sore throat",),
        hpi=("Sore throat for two days, painful swallowing.",),
        exam=("Posterior pharynx erythematous, tonsils without exudate.",),
        plan=("Rapid strep negative; warm salt gargles and analgesics.",),
        ros="sore throat",
        systems=frozenset({"ent"}),
        role="primary",
        services=(
            _svc(
                0.6,
                Line("87880", waived=True),
                text=("Rapid strep antigen test performed in clinic: negative.",),
            ),
        ),
    ),
    Condition(
        "strep_throat",
        codes=("J02.0",),
        names=("streptococcal pharyngitis", "strep throat"),
        complaint=("sore throat and fever",),
        hpi=("Fever to 101.8 and severe sore throat since yesterday.",),
        exam=("Tonsillar exudate, tender anterior cervical nodes.",),
        plan=(
            "Penicillin G benzathine given in clinic; school/work note.",
            "Amoxicillin 10-day course prescribed.",
        ),
        ros="sore throat with fever",
        systems=frozenset({"ent", "constitutional"}),
        role="primary",
        conflicts=frozenset({"uri", "pharyngitis"}),
        services=(
            _svc(
                0.9,
                Line("87880", waived=True),
                text=("Rapid strep antigen test in clinic: positive.",),
            ),
            _svc(
                0.25,
                Line("96372"),
                Line("J0561", units=(12, 12)),
                text=("Penicillin G benzathine 1.2 million units IM given.",),
            ),
        ),
    ),
    Condition(
        "sinusitis",
        codes=("J01.90",),
        names=("acute sinusitis", "acute rhinosinusitis"),
        complaint=("sinus pressure", "sinus congestion"),
        hpi=("Ten days of facial pressure and purulent drainage.",),
        exam=("Maxillary sinus tenderness, purulent nasal discharge.",),
        plan=("Amoxicillin-clavulanate for seven days; nasal steroid spray.",),
        ros="facial pressure",
        systems=frozenset({"ent"}),
        role="primary",
        partner=Partner(
            "J32.9",
            "Has had sinus congestion on and off for months.",
            "acute sinusitis excludes sinusitis NOS/chronic (J32.9)",
        ),
    ),
    Condition(
        "bronchitis",
        codes=("J20.9",),
        names=("acute bronchitis", "acute bronchitis, likely viral"),
        complaint=("cough",),
        hpi=("Productive cough for eight days after a cold.",),
        exam=("Scattered rhonchi that clear with cough.",),
        plan=("Supportive care, honey and fluids; benzonatate as needed.",),
        ros="cough",
        systems=frozenset({"resp"}),
        role="primary",
        partner=Partner(
            "J40",
            "Says the patient gets 'bronchitis' every winter.",
            "acute bronchitis excludes bronchitis NOS (J40)",
        ),
    ),
    Condition(
        "uti",
        codes=("N39.0",),
        names=("urinary tract infection", "UTI", "acute UTI"),
        complaint=("burning with urination", "urinary symptoms"),
        hpi=("Burning with urination and urgency for two days.",),
        exam=("Mild suprapubic tenderness, no CVA tenderness.",),
        plan=("Nitrofurantoin for five days; urine culture sent.",),
        ros="dysuria",
        systems=frozenset({"gu"}),
        where=(FM, IM, URO),
        services=(
            _svc(
                0.7,
                Line("81002"),
                text=(("Urine dipstick in clinic: leukocyte esterase and nitrite positive."),),
            ),
            _svc(0.3, Line("87086"), text=("Urine culture sent.",)),
        ),
        partner=Partner(
            "N30.00",
            "Describes suprapubic discomfort and frequent voiding.",
            "UTI site not specified excludes cystitis (N30)",
        ),
        slips=("O23.40",),
    ),
    Condition(
        "nausea_vomiting",
        codes=("R11.2",),
        names=("nausea with vomiting", "nausea and vomiting, likely viral"),
        complaint=("nausea and vomiting",),
        hpi=("Nausea with several episodes of vomiting since last night.",),
        exam=("Mucous membranes slightly dry; abdomen soft, nontender.",),
        plan=("Ondansetron given; oral rehydration and bland diet.",),
        ros="nausea",
        systems=frozenset({"gi"}),
        where=(FM, IM),
        services=(
            _svc(
                0.3,
                Line("96372"),
                Line("J2405", units=(4, 4)),
                text=("Ondansetron 4 mg IM given in clinic.",),
            ),
        ),
        slips=("O21.9",),
    ),
    Condition(
        "urinary_frequency",
        codes=("R35.0",),
        names=("urinary frequency", "frequent urination"),
        hpi=("Voids every hour or two during the day.",),
        plan=("Bladder diary; limit evening fluids.",),
        ros="urinary frequency",
        systems=frozenset({"gu"}),
        where=(FM, IM, URO),
        comorbid=True,
        role="secondary",
        slips=("N40.1",),
    ),
    Condition(
        "low_back_pain",
        codes=("M54.50",),
        names=("low back pain", "lumbago", "mechanical low back pain"),
        complaint=("low back pain", "back pain"),
        hpi=("Aching lower back pain for three weeks, worse with bending.",),
        exam=("Paraspinal lumbar tenderness, negative straight-leg raise.",),
        plan=("Physical therapy referral; naproxen and heat.",),
        ros="back pain",
        systems=frozenset({"msk"}),
        where=(FM, IM, ORTHO),
        conflicts=frozenset({"sciatica"}),
        services=(
            _svc(
                0.15,
                Line("72100"),
                text=(("Lumbar spine X-ray, three views, reviewed: mild degenerative change."),),
            ),
            _svc(
                0.15,
                Line("96372"),
                Line("J1885", units=(2, 2)),
                text=("Ketorolac 30 mg IM given for pain.",),
            ),
        ),
        partner=Partner(
            "S39.012A",
            "Pain began after lifting heavy boxes at work.",
            "low back pain (M54.5) excludes low back strain (S39.012)",
        ),
    ),
    Condition(
        "abdominal_wall_contusion",
        codes=("S30.11XA",),
        names=("contusion of the abdominal wall", "abdominal wall bruise"),
        complaint=("bruise on the abdomen", "abdominal bruising after a fall"),
        hpi=("Struck the abdomen on a table edge two days ago; localized soreness.",),
        exam=("Ecchymosis over the abdominal wall, no rebound or guarding.",),
        plan=("Ice, acetaminophen; return precautions for worsening pain.",),
        ros="abdominal wall soreness",
        systems=frozenset({"gi", "skin"}),
        role="primary",
        deleted={"S30.11XA": "S30.1XXA"},
    ),
    Condition(
        "food_reaction",
        codes=("T78.19XA",),
        names=("adverse food reaction", "food intolerance reaction"),
        complaint=("reaction after eating",),
        hpi=(("Flushing and cramping within an hour of eating shellfish; no breathing trouble."),),
        exam=("No urticaria, lungs clear, no lip or tongue swelling.",),
        plan=("Avoid the food; antihistamine as needed; allergy referral.",),
        ros="flushing after meals",
        systems=frozenset({"gi", "skin"}),
        role="primary",
        deleted={"T78.19XA": "T78.1XXA"},
    ),
    Condition(
        "flu_vaccine",
        codes=("Z23",),
        names=("influenza vaccination", "encounter for flu immunization"),
        plan=("Influenza vaccine administered; VIS provided.",),
        systems=frozenset(),
        comorbid=True,
        role="secondary",
        ages=(18, 95),
        services=(
            _svc(
                1.0,
                Line("90686"),
                Line("90471"),
                text=(("Quadrivalent influenza vaccine 0.5 mL IM, deltoid; lot number recorded."),),
            ),
        ),
    ),
    # ---- musculoskeletal --------------------------------------------------------------------
    Condition(
        "knee_oa",
        sided=_sided("M17.11", "M17.12", "M17.10", both="M17.0"),
        site=_KNEE,
        names=(
            "{adj} osteoarthritis",
            "primary osteoarthritis of {loc}",
            "degenerative joint disease, {loc}",
            "{adj} OA",
            "{sided} knee arthritis",
        ),
        complaint=("knee pain", "pain in {loc}"),
        hpi=(
            "Aching in {loc}, worse with stairs and after standing.",
            "Morning stiffness of {loc} lasting 20 minutes.",
        ),
        exam=(
            "Crepitus and medial joint line tenderness of {loc}; no effusion.",
            "Range of motion of {loc} 5-115 degrees with crepitus.",
        ),
        plan=(
            "Quadriceps strengthening program; topical diclofenac.",
            "Weight loss and activity modification discussed; follow up in three months.",
        ),
        ros="knee pain",
        systems=frozenset({"msk"}),
        where=(ORTHO, FM, IM),
        ages=(40, 95),
        conflicts=frozenset({"knee_pain"}),
        services=(_KNEE_INJECTION, _KNEE_XRAY),
    ),
    Condition(
        "knee_pain",
        sided=MappingProxyType({"R": ("M25.561",), "L": ("M25.562",), "U": ("M25.569",)}),
        site=_KNEE,
        names=("pain in {loc}", "{adj} pain", "{sided} knee pain", "arthralgia of {loc}"),
        complaint=("knee pain",),
        hpi=("Pain in {loc} for two weeks after a long hike, no locking.",),
        exam=("Mild tenderness of {loc}; ligaments stable, no effusion.",),
        plan=("Rest, ice and NSAIDs; return if no improvement in three weeks.",),
        ros="knee pain",
        systems=frozenset({"msk"}),
        where=(FM, ORTHO),
        services=(_KNEE_XRAY,),
    ),
    Condition(
        "hip_oa",
        sided=_sided("M16.11", "M16.12", "M16.10", both="M16.0"),
        site=Site("hip", "hips"),
        names=(
            "{adj} osteoarthritis",
            "primary osteoarthritis of {loc}",
            "{sided} hip arthritis",
            "degenerative arthritis of {loc}",
        ),
        complaint=("hip pain", "groin pain"),
        hpi=("Groin-area pain from {loc} with walking more than two blocks.",),
        exam=("Painful internal rotation of {loc}; antalgic gait.",),
        plan=("Physical therapy; discussed arthroplasty if conservative care fails.",),
        ros="hip pain",
        systems=frozenset({"msk"}),
        where=(ORTHO, FM),
        ages=(45, 95),
        services=(
            _svc(
                0.3,
                Line("73502", lateral=True, split_bilateral=True),
                text=("Radiographs of {loc} reviewed in clinic.",),
            ),
        ),
    ),
    Condition(
        "shoulder_impingement",
        sided=MappingProxyType({"R": ("M75.41",), "L": ("M75.42",), "U": ("M75.40",)}),
        site=Site("shoulder", "shoulders"),
        names=(
            "impingement syndrome of {loc}",
            "{adj} impingement",
            "{sided} shoulder impingement",
            "rotator cuff impingement, {loc}",
        ),
        complaint=("shoulder pain",),
        hpi=("Pain in {loc} reaching overhead, waking at night.",),
        exam=("Positive Neer and Hawkins tests of {loc}; strength 5/5.",),
        plan=("Home exercise program for scapular stabilization.",),
        ros="shoulder pain",
        systems=frozenset({"msk"}),
        where=(ORTHO, FM),
        services=(
            _svc(
                0.3,
                Line("20610", lateral=True, minor=True),
                Line("J1030", per_side=True),
                text=(
                    (
                        "Subacromial injection of {loc}: consent, sterile prep, "
                        "methylprednisolone 40 mg with lidocaine; no complications."
                    ),
                ),
            ),
            _svc(
                0.2,
                Line("73030", lateral=True, split_bilateral=True),
                text=("Shoulder radiographs of {loc} reviewed.",),
            ),
        ),
    ),
    Condition(
        "lateral_epicondylitis",
        sided=MappingProxyType({"R": ("M77.11",), "L": ("M77.12",), "U": ("M77.10",)}),
        site=Site("elbow", "elbows"),
        names=(
            "lateral epicondylitis of {loc}",
            "tennis elbow, {loc}",
            "{sided} lateral epicondylitis",
        ),
        complaint=("elbow pain",),
        hpi=("Pain over the outer aspect of {loc} with gripping.",),
        exam=("Tender lateral epicondyle of {loc}; pain with resisted wrist extension.",),
        plan=("Counterforce strap, eccentric exercises.",),
        ros="elbow pain",
        systems=frozenset({"msk"}),
        where=(ORTHO, FM),
        services=(
            _svc(
                0.25,
                Line("20550", lateral=True, minor=True),
                Line("J1030", per_side=True),
                text=(
                    (
                        "Injection at the common extensor origin of {loc} with "
                        "methylprednisolone 40 mg; tolerated well."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "achilles_tendinitis",
        sided=MappingProxyType({"R": ("M76.61",), "L": ("M76.62",), "U": ("M76.60",)}),
        site=Site("leg", "legs"),
        names=(
            "Achilles tendinitis of {loc}",
            "{sided} Achilles tendinitis",
            "Achilles tendinopathy, {loc}",
        ),
        complaint=("heel cord pain",),
        hpi=("Pain at the back of the heel of {loc} after running.",),
        exam=("Tender Achilles tendon of {loc} 3 cm above insertion; Thompson negative.",),
        plan=("Eccentric heel drops, heel lift, relative rest from running.",),
        ros="heel pain",
        systems=frozenset({"msk"}),
        where=(ORTHO,),
    ),
    Condition(
        "carpal_tunnel",
        sided=_sided("G56.01", "G56.02", "G56.00", both="G56.03"),
        site=Site("wrist", "wrists"),
        names=(
            "{sided} carpal tunnel syndrome",
            "carpal tunnel syndrome of {loc}",
            "median neuropathy at {loc}",
        ),
        complaint=("hand numbness", "tingling fingers"),
        hpi=(
            "Night-time numbness of the thumb and index finger, {loc}.",
            "Tingling in the fingers of the hand when driving; symptoms at {loc}.",
        ),
        exam=("Positive Tinel and Phalen at {loc}; thenar bulk preserved.",),
        plan=("Night splinting; nerve conduction study if not improved.",),
        ros="hand tingling",
        systems=frozenset({"neuro", "msk"}),
        where=(ORTHO, NEURO, FM),
        services=(
            _svc(
                0.25,
                Line("20526", lateral=True, minor=True),
                Line("J1030", per_side=True),
                text=(
                    (
                        "Carpal tunnel injection, {loc}: methylprednisolone 40 mg "
                        "injected after sterile prep; no paresthesia."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "sciatica",
        sided=MappingProxyType({"R": ("M54.31",), "L": ("M54.32",), "U": ("M54.30",)}),
        site=Site("leg", "legs"),
        names=("{sided} sciatica", "sciatica, {loc}", "sciatic nerve pain down {loc}"),
        complaint=("leg pain", "shooting pain down the leg"),
        hpi=("Shooting pain from the buttock down {loc} for ten days.",),
        exam=("Straight-leg raise reproduces pain in {loc}; strength intact.",),
        plan=("Oral steroid taper, physical therapy; MRI if deficits develop.",),
        ros="radiating leg pain",
        systems=frozenset({"msk", "neuro"}),
        where=(FM, ORTHO, NEURO),
        conflicts=frozenset({"low_back_pain"}),
    ),
    Condition(
        "gout",
        sided=MappingProxyType({"R": ("M10.071",), "L": ("M10.072",), "U": ("M10.079",)}),
        sides=("R", "L"),
        site=Site("great toe", "great toes"),
        names=("acute gout of {loc}", "{sided} podagra", "gout flare, {loc}"),
        complaint=("toe pain and swelling", "painful swollen toe"),
        hpi=("Sudden severe pain and redness at {loc} overnight.",),
        exam=("Erythematous, warm, exquisitely tender first MTP joint of {loc}.",),
        plan=("Colchicine and ice; uric acid after the flare settles.",),
        ros="joint swelling",
        systems=frozenset({"msk"}),
        where=(FM, IM, ORTHO),
        ages=(30, 95),
        services=(
            _svc(
                0.2,
                Line("20600", lateral=True, minor=True),
                Line("J1030", per_side=True),
                text=(
                    (
                        "Small-joint injection of {loc} with methylprednisolone 40 mg "
                        "after sterile prep."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "ankle_sprain",
        sided=MappingProxyType({"R": ("S93.401A",), "L": ("S93.402A",), "U": ("S93.409A",)}),
        sides=("R", "L"),
        site=Site("ankle", "ankles"),
        names=("sprain of {loc}", "{adj} sprain", "{sided} ankle sprain, initial visit"),
        complaint=("ankle injury", "twisted ankle"),
        hpi=("Inversion injury of {loc} playing basketball yesterday.",),
        exam=("Swelling over the lateral ligaments of {loc}; able to bear weight.",),
        plan=("RICE, lace-up brace; weight bearing as tolerated.",),
        ros="ankle swelling",
        systems=frozenset({"msk"}),
        where=(FM, ORTHO),
        role="primary",
        ages=(18, 70),
        services=(
            _svc(
                0.5,
                Line("73610", lateral=True),
                text=("Ankle X-ray of {loc}, three views: no fracture.",),
            ),
        ),
    ),
    Condition(
        "colles_followup",
        sided=MappingProxyType({"R": ("S52.531D",), "L": ("S52.532D",), "U": ("S52.539D",)}),
        sides=("R", "L"),
        site=Site("distal radius", "distal radii"),
        names=(
            "Colles fracture of {loc}, routine healing",
            "healing {adj} fracture",
            "{sided} Colles fracture, follow-up",
        ),
        complaint=("fracture follow-up",),
        hpi=(
            (
                "Six weeks after a fall onto an outstretched hand; fracture of {loc} "
                "treated in a cast."
            ),
        ),
        exam=("Cast removed; mild tenderness at {loc}; fingers warm and mobile.",),
        plan=("Transition to removable splint; hand therapy referral.",),
        ros="wrist stiffness",
        systems=frozenset({"msk"}),
        where=(ORTHO,),
        role="primary",
        services=(
            _svc(
                0.7,
                Line("73110", lateral=True),
                text=(("Wrist radiographs of {loc}: callus formation, alignment maintained."),),
            ),
        ),
    ),
    # ---- dermatology ------------------------------------------------------------------------
    Condition(
        "acne",
        codes=("L70.0",),
        names=("acne vulgaris", "inflammatory acne"),
        complaint=("acne",),
        hpi=("Comedones and papules on the face for a year.",),
        exam=("Open comedones and inflammatory papules over the forehead and chin.",),
        plan=("Topical adapalene nightly and benzoyl peroxide wash.",),
        systems=frozenset({"skin"}),
        where=(DERM, FM),
        ages=(18, 35),
        role="primary",
    ),
    Condition(
        "psoriasis",
        codes=("L40.0",),
        names=("plaque psoriasis", "psoriasis vulgaris"),
        complaint=("scaly rash",),
        hpi=("Itchy scaly plaques on elbows and scalp.",),
        exam=("Well-demarcated erythematous plaques with silvery scale.",),
        plan=("Clobetasol ointment twice daily to plaques; recheck in six weeks.",),
        ros="scaly rash",
        systems=frozenset({"skin"}),
        where=(DERM, FM),
    ),
    Condition(
        "actinic_keratosis",
        codes=("L57.0",),
        names=("actinic keratoses", "AKs on sun-exposed skin"),
        complaint=("rough spots on the skin", "skin check"),
        hpi=("Several rough scaly spots on the scalp and forearms.",),
        exam=("Multiple gritty erythematous papules on scalp and dorsal forearms.",),
        plan=("Sun protection reviewed; full skin exam yearly.",),
        ros="rough skin spots",
        systems=frozenset({"skin"}),
        where=(DERM,),
        ages=(45, 95),
        services=(
            _svc(
                0.7,
                Line("17000", minor=True),
                Line("17003", units=(2, 8)),
                text=(
                    (
                        "Cryotherapy with liquid nitrogen to the actinic keratoses, "
                        "two freeze-thaw cycles each."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "seborrheic_keratosis",
        codes=("L82.1",),
        names=("seborrheic keratosis", "irritated-appearing SK, non-inflamed"),
        complaint=("skin growth",),
        hpi=(("Waxy brown growth on the back catches on clothing."),),
        exam=("Stuck-on appearing waxy papule on the back.",),
        plan=("Benign nature discussed.",),
        systems=frozenset({"skin"}),
        where=(DERM, FM),
        ages=(35, 95),
        services=(
            _svc(
                0.4,
                Line("17110", minor=True),
                text=("Lesion destroyed with liquid nitrogen cryotherapy.",),
            ),
        ),
    ),
    Condition(
        "common_wart",
        codes=("B07.8",),
        names=("common wart", "verruca vulgaris"),
        complaint=("wart",),
        hpi=("Rough growth on a finger for several months.",),
        exam=("Verrucous papule with thrombosed capillaries on the index finger.",),
        plan=("Return in three weeks for repeat treatment if needed.",),
        systems=frozenset({"skin"}),
        where=(DERM, FM),
        services=(
            _svc(
                0.7, Line("17110", minor=True), text=("Wart treated with cryotherapy, two cycles.",)
            ),
        ),
    ),
    Condition(
        "skin_tags",
        codes=("L91.8",),
        names=("acrochordons", "skin tags"),
        complaint=("skin tags",),
        hpi=("Irritated skin tags on the neck rubbing on collars.",),
        exam=("Several pedunculated flesh-colored papules on the neck.",),
        plan=("Wound care reviewed.",),
        systems=frozenset({"skin"}),
        where=(DERM,),
        services=(
            _svc(
                0.8,
                Line("11200", minor=True),
                text=(
                    (
                        "Skin tags removed by snip excision after local "
                        "anesthesia; hemostasis with aluminum chloride."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "nevus",
        codes=("D22.5",),
        names=("melanocytic nevus of the trunk", ("benign mole on the back")),
        complaint=("changing mole",),
        hpi=("Mole on the back looks darker to the spouse.",),
        exam=("6 mm brown macule on the back, regular border.",),
        plan=("Dermoscopy reassuring; photographed for comparison.",),
        systems=frozenset({"skin"}),
        where=(DERM,),
        services=(
            _svc(
                0.5,
                Line("11102", minor=True),
                text=(
                    (
                        "Tangential shave biopsy of the lesion after consent and "
                        "local anesthesia; sent to pathology."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "dermatitis",
        codes=("L30.9",),
        names=("dermatitis", "eczematous dermatitis"),
        complaint=("itchy rash",),
        hpi=("Itchy red patches on the forearms for a month.",),
        exam=("Ill-defined erythematous patches with fine scale.",),
        plan=("Triamcinolone 0.1% cream, fragrance-free emollients.",),
        ros="itching",
        systems=frozenset({"skin"}),
        where=(DERM, FM),
    ),
    # ---- eye and ear ------------------------------------------------------------------------
    Condition(
        "conjunctivitis",
        sided=_sided("H10.31", "H10.32", "H10.30", both="H10.33"),
        site=_EYE,
        names=(
            "acute conjunctivitis, {loc}",
            "acute conjunctivitis {abbr}",
            "pink eye of {loc}",
            "{sided} acute conjunctivitis",
        ),
        complaint=("red eye", "eye discharge"),
        hpi=("Redness and watery discharge of {loc} since yesterday; no vision loss.",),
        exam=("Conjunctival injection of {loc}; cornea clear, vision at baseline.",),
        plan=("Warm compresses and erythromycin ointment; hand hygiene reviewed.",),
        ros="eye redness",
        systems=frozenset({"eyes"}),
        where=(FM, OPH),
        role="primary",
    ),
    Condition(
        "cataract",
        sided=_sided("H25.11", "H25.12", "H25.10", both="H25.13"),
        site=_EYE,
        names=(
            "age-related nuclear cataract, {loc}",
            "{adj} nuclear cataract",
            "nuclear sclerotic cataract of {loc}",
        ),
        complaint=("blurry vision", "glare when driving at night"),
        hpi=("Gradual blurring of vision in {loc} with glare from headlights.",),
        exam=("Slit lamp: 2+ nuclear sclerosis of {loc}.",),
        plan=("Discussed cataract surgery; biometry to be scheduled.",),
        ros="blurred vision",
        systems=frozenset({"eyes"}),
        where=(OPH,),
        ages=(55, 95),
    ),
    Condition(
        "dry_eye",
        sided=_sided("H04.121", "H04.122", "H04.129", both="H04.123"),
        site=_EYE,
        names=(
            "dry eye syndrome, {loc}",
            "dry eye syndrome {abbr}",
            ("keratoconjunctivitis sicca of {loc}"),
        ),
        complaint=("gritty eyes", "eye irritation"),
        hpi=("Gritty burning sensation of {loc}, worse with screen use.",),
        exam=("Reduced tear break-up time of {loc}; punctate staining.",),
        plan=("Preservative-free artificial tears four times daily; warm compresses.",),
        ros="eye irritation",
        systems=frozenset({"eyes"}),
        where=(OPH, FM),
    ),
    Condition(
        "cerumen",
        sided=_sided("H61.21", "H61.22", "H61.20", both="H61.23"),
        site=_EAR,
        names=(
            "impacted cerumen, {loc}",
            "{adj} cerumen impaction",
            ("ear wax impaction of {loc}"),
        ),
        complaint=("plugged ear", "muffled hearing"),
        hpi=("Muffled hearing in {loc} for a week.",),
        exam=("Canal of {loc} occluded by hard cerumen; tympanic membrane not visible.",),
        plan=("Weekly mineral oil drops to prevent recurrence.",),
        ros="decreased hearing",
        systems=frozenset({"ent"}),
        where=(FM, IM),
        services=(
            _svc(
                0.8,
                Line("69210", lateral=True, minor=True),
                text=(
                    (
                        "Cerumen removed from {loc} with curette under direct "
                        "visualization; tympanic membrane intact afterwards."
                    ),
                ),
            ),
        ),
    ),
    Condition(
        "otitis_media",
        sided=_sided("H66.91", "H66.92", "H66.90", both="H66.93"),
        site=_EAR,
        names=("otitis media of {loc}", "{adj} otitis media", "{sided} middle ear infection"),
        complaint=("ear pain",),
        hpi=("Ear pain in {loc} with congestion for three days.",),
        exam=("Bulging erythematous tympanic membrane, {loc}.",),
        plan=("Amoxicillin for ten days; analgesics.",),
        ros="ear pain",
        systems=frozenset({"ent"}),
        where=(FM,),
        role="primary",
    ),
    Condition(
        "swimmers_ear",
        sided=_sided("H60.331", "H60.332", "H60.339", both="H60.333"),
        site=_EAR,
        names=(
            "otitis externa (swimmer's ear), {loc}",
            "{adj} otitis externa",
            "{sided} swimmer's ear",
        ),
        complaint=("ear pain after swimming",),
        hpi=("Itching and pain in {loc} after daily swimming.",),
        exam=("Edematous canal of {loc}; pain with tragal pressure.",),
        plan=("Ciprofloxacin-dexamethasone drops; keep the canal dry.",),
        ros="ear pain",
        systems=frozenset({"ent"}),
        where=(FM,),
        role="primary",
    ),
    # ---- women's health ----------------------------------------------------------------------
    Condition(
        "prenatal",
        codes=("Z34.81",),
        names=(
            "normal pregnancy, first trimester",
            ("supervision of normal pregnancy, first trimester"),
        ),
        complaint=("prenatal visit",),
        hpi=("G2P1 at 10 weeks by dates, no bleeding.",),
        exam=("Fetal heart tones 158 by Doppler.",),
        plan=("Prenatal vitamins; first-trimester screening discussed.",),
        systems=frozenset(),
        where=(OBGYN,),
        role="primary",
        sex="F",
        ages=(18, 42),
    ),
    Condition(
        "hyperemesis",
        codes=("O21.0", "Z3A.10"),
        names=(
            "mild hyperemesis gravidarum at 10 weeks",
            ("hyperemesis of pregnancy, mild, 10 weeks"),
        ),
        complaint=("nausea in pregnancy",),
        hpi=("Persistent vomiting at 10 weeks gestation; keeping fluids down.",),
        exam=("Mildly dry mucous membranes; weight down two pounds.",),
        plan=("Pyridoxine-doxylamine; small frequent meals.",),
        ros="nausea",
        systems=frozenset({"gi"}),
        where=(OBGYN,),
        role="primary",
        sex="F",
        ages=(18, 42),
        manifestation=("Z3A.10", "O21.0"),
    ),
    Condition(
        "gestational_diabetes",
        codes=("O24.410", "Z3A.28"),
        names=(
            "gestational diabetes, diet controlled, 28 weeks",
            ("diet-controlled GDM at 28 weeks"),
        ),
        complaint=("glucose log review",),
        hpi=("28 weeks; fasting values under 95 on diet alone.",),
        exam=("Fundal height 28 cm.",),
        plan=("Continue diet; growth scan at 32 weeks.",),
        systems=frozenset({"endo"}),
        where=(OBGYN,),
        role="primary",
        sex="F",
        ages=(18, 42),
        manifestation=("Z3A.28", "O24.410"),
    ),
    Condition(
        "pregnancy_uti",
        codes=("O23.42", "Z3A.20"),
        names=(
            "urinary tract infection in pregnancy, second trimester, 20 weeks",
            "UTI complicating pregnancy at 20 weeks",
        ),
        complaint=("burning with urination in pregnancy",),
        hpi=("20 weeks; dysuria and frequency for two days.",),
        exam=("No CVA tenderness; fundal height 20 cm.",),
        plan=("Cephalexin; culture sent; test of cure after treatment.",),
        ros="dysuria",
        systems=frozenset({"gu"}),
        where=(OBGYN,),
        role="primary",
        sex="F",
        ages=(18, 42),
        manifestation=("Z3A.20", "O23.42"),
        services=(_svc(0.7, Line("81002"), text=("Urine dipstick: nitrite positive.",)),),
    ),
    Condition(
        "menopause",
        codes=("N95.1",),
        names=("menopausal symptoms", "menopausal vasomotor symptoms"),
        complaint=("hot flashes",),
        hpi=("Hot flashes several times a day, poor sleep.",),
        exam=("Well-appearing.",),
        plan=("Discussed hormone therapy risks and benefits.",),
        ros="hot flashes",
        systems=frozenset({"endo"}),
        where=(OBGYN, FM),
        sex="F",
        ages=(45, 62),
        partner=Partner(
            "Z78.0",
            "Last menstrual period was over a year ago.",
            "symptomatic menopause excludes asymptomatic menopausal state",
        ),
    ),
    Condition(
        "dysmenorrhea",
        codes=("N94.6",),
        names=("dysmenorrhea", "painful periods"),
        complaint=("painful periods",),
        hpi=("Cramping with menses, missing work.",),
        exam=("Abdomen soft, nontender.",),
        plan=(("Scheduled NSAIDs starting a day before menses."),),
        ros="menstrual cramps",
        systems=frozenset({"gu"}),
        where=(OBGYN, FM),
        sex="F",
        ages=(18, 45),
    ),
    Condition(
        "menorrhagia",
        codes=("N92.0",),
        names=("heavy menstrual bleeding with regular cycles", "menorrhagia"),
        complaint=("heavy periods",),
        hpi=("Soaking a pad hourly on the heaviest days.",),
        exam=("Conjunctivae pink; abdomen soft.",),
        plan=("Tranexamic acid with menses; CBC today.",),
        systems=frozenset({"gu"}),
        where=(OBGYN,),
        sex="F",
        ages=(18, 50),
        services=(_svc(0.5, Line("85025"), VENIPUNCTURE, text=("CBC drawn.",)),),
    ),
    Condition(
        "ovarian_cyst",
        sided=MappingProxyType({"R": ("N83.201",), "L": ("N83.202",), "U": ("N83.209",)}),
        site=Site("ovary", "ovaries"),
        names=("ovarian cyst of {loc}", "{adj} cyst", "{sided} ovarian cyst"),
        complaint=("pelvic discomfort",),
        hpi=("Dull pelvic ache; prior imaging showed a cyst on {loc}.",),
        exam=("Mild adnexal tenderness; no mass palpated.",),
        plan=("Repeat ultrasound in eight weeks.",),
        ros="pelvic ache",
        systems=frozenset({"gu"}),
        where=(OBGYN,),
        sex="F",
        ages=(18, 55),
        services=(
            _svc(
                0.5,
                Line("76830"),
                text=(("Transvaginal ultrasound performed and reviewed: simple cyst of {loc}."),),
            ),
        ),
    ),
    Condition(
        "vaginitis",
        codes=("N76.0",),
        names=("acute vaginitis", "vaginitis"),
        complaint=("vaginal discharge",),
        hpi=("Discharge and irritation for four days.",),
        exam=("Thin gray discharge on speculum exam.",),
        plan=(("Metronidazole for seven days."),),
        systems=frozenset({"gu"}),
        where=(OBGYN, FM),
        sex="F",
        ages=(18, 70),
        services=(_svc(0.5, Line("87210"), text=("Wet mount examined in clinic.",)),),
    ),
    Condition(
        "yeast_infection",
        codes=("B37.31",),
        names=("acute vulvovaginal candidiasis", "vaginal yeast infection"),
        complaint=("vaginal itching",),
        hpi=("Itching and thick white discharge.",),
        exam=("Vulvar erythema; curd-like discharge.",),
        plan=("Fluconazole 150 mg once.",),
        systems=frozenset({"gu"}),
        where=(OBGYN, FM),
        sex="F",
        ages=(18, 80),
        role="primary",
    ),
    Condition(
        "female_infertility",
        codes=("N97.9",),
        names=("female infertility", "infertility, female factor under evaluation"),
        complaint=("difficulty conceiving",),
        hpi=("Fourteen months of unprotected intercourse without pregnancy.",),
        exam=("Normal pelvic exam.",),
        plan=("Day-3 labs and hysterosalpingogram.",),
        systems=frozenset({"gu"}),
        where=(OBGYN,),
        sex="F",
        ages=(25, 42),
        role="primary",
        slips=("N46.9",),
    ),
    Condition(
        "pelvic_pain",
        sided=_sided("R10.21", "R10.22", "R10.20", both="R10.23"),
        site=Site(
            "lower pelvis",
            "lower pelvis",
            forms=MappingProxyType({"B": ("both sides of the pelvis", "the pelvis bilaterally")}),
        ),
        names=("{sided} pelvic pain", "pelvic pain, {loc}", "pain in {loc}"),
        complaint=("pelvic pain",),
        hpi=("Intermittent aching pain in {loc} for three weeks.",),
        exam=("Tenderness to deep palpation of {loc}; no rebound.",),
        plan=("Ultrasound ordered; analgesics as needed.",),
        ros="pelvic pain",
        systems=frozenset({"gu", "gi"}),
        where=(OBGYN, FM, URO),
        ages=(18, 70),
        slips=("N94.89",),
    ),
    # ---- urology ----------------------------------------------------------------------------
    Condition(
        "bph",
        codes=("N40.1",),
        names=(
            "benign prostatic hyperplasia with LUTS",
            ("BPH with lower urinary tract symptoms"),
            "enlarged prostate with urinary symptoms",
        ),
        complaint=("weak stream", "getting up at night to urinate"),
        hpi=("Nocturia three times nightly and weak stream.",),
        exam=("Smooth, symmetrically enlarged prostate, nontender.",),
        plan=("Start tamsulosin 0.4 mg at bedtime.",),
        ros="nocturia",
        systems=frozenset({"gu"}),
        where=(URO, FM, IM),
        sex="M",
        ages=(50, 95),
        services=(
            _svc(0.5, Line("51798"), text=(("Post-void residual by bladder scan: 90 mL."),)),
        ),
    ),
    Condition(
        "male_infertility",
        codes=("N46.9",),
        names=("male infertility", "male factor infertility"),
        complaint=("infertility evaluation",),
        hpi=("Couple trying to conceive for over a year; partner's evaluation normal.",),
        exam=("Normal testicular volume, no varicocele.",),
        plan=("Semen analysis and hormone panel.",),
        systems=frozenset({"gu"}),
        where=(URO,),
        sex="M",
        ages=(25, 50),
        role="primary",
        slips=("N97.9",),
    ),
    Condition(
        "erectile_dysfunction",
        codes=("N52.9",),
        names=("erectile dysfunction", "ED"),
        complaint=("erectile dysfunction",),
        hpi=(("Gradual difficulty maintaining erections for a year."),),
        exam=("Normal genital exam.",),
        plan=("Trial of sildenafil; cardiac risk reviewed.",),
        systems=frozenset({"gu"}),
        where=(URO, FM),
        sex="M",
        ages=(35, 85),
    ),
    Condition(
        "kidney_stone",
        codes=("N20.0",),
        names=("nephrolithiasis", "kidney stone", "renal calculus"),
        complaint=("flank pain",),
        hpi=("Colicky flank pain radiating to the groin.",),
        exam=("CVA tenderness, abdomen soft.",),
        plan=("Tamsulosin, fluids and strainer; CT if not passed.",),
        ros="flank pain",
        systems=frozenset({"gu"}),
        where=(URO,),
        ages=(20, 80),
        services=(
            _svc(
                0.8, Line("81002"), text=(("Urinalysis in clinic: microscopic blood on dipstick."),)
            ),
        ),
    ),
)
