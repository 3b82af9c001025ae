"""Clinical vocabulary for reading notes against code descriptions.

Code descriptions use the classification's words ("Unilateral primary osteoarthritis,
unspecified knee"); notes use clinicians' words ("OA of the R knee", "DJD"). This module
bridges the two with three small, general lexicons: body regions and how notes name them,
synonyms and abbreviations of common condition words, and the words of a description that
say nothing about the condition. :class:`ConditionTerms` turns one description into the
terms a sentence must mention to be about that condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string: keeps long word lists readable."""
    return frozenset(text.split())


# Body regions and the words notes use for them. Two regions sharing a word is fine: a
# word only has to tell "this code's body part" from "some other body part".
REGIONS: dict[str, frozenset[str]] = {
    name: word_set(words)
    for name, words in {
        "knee": "knee patella patellar kneecap meniscus meniscal",
        "hip": "hip acetabulum acetabular",
        "shoulder": "shoulder glenohumeral subacromial acromioclavicular rotator scapula scapular",
        "elbow": "elbow olecranon epicondyle",
        "wrist": "wrist carpal",
        "hand": "hand palm palmar",
        "finger": "finger thumb digit",
        "forearm": "forearm radius radial ulna ulnar",
        "arm": "arm humerus humeral biceps triceps ue",
        "ankle": "ankle malleolus malleolar",
        "foot": "foot feet heel plantar toe calcaneus calcaneal metatarsal",
        "leg": "leg calf calves shin tibia tibial fibula achilles le",
        "thigh": "thigh femur femoral quadriceps hamstring",
        "eye": "eye ocular orbit orbital eyelid lid lacrimal cornea corneal conjunctiva retina "
        "retinal lens pupil iris globe",
        "ear": "ear tm tympanic canal auricle mastoid",
        "breast": "breast nipple areola",
        "kidney": "kidney renal flank",
        "lung": "lung lobe pleural",
        "ovary": "ovary ovarian adnexa adnexal",
        "testis": "testis testicle testicular scrotum scrotal",
        "chest": "chest thorax rib",
    }.items()
}

# Classification site words that cover several regions.
_SITE_REGIONS: dict[str, tuple[str, ...]] = {
    "upper limb": ("arm", "forearm", "elbow", "wrist", "hand", "finger", "shoulder"),
    "upper extremity": ("arm", "forearm", "elbow", "wrist", "hand", "finger", "shoulder"),
    "lower limb": ("leg", "thigh", "knee", "ankle", "foot", "hip"),
    "lower extremity": ("leg", "thigh", "knee", "ankle", "foot", "hip"),
    "arm": ("arm", "forearm", "elbow", "wrist", "hand"),
    "upper arm": ("arm", "shoulder", "elbow"),
    "leg": ("leg", "thigh", "ankle"),
    "lower leg": ("leg", "ankle"),
    "humerus": ("arm", "shoulder", "elbow"),
    "radius": ("forearm", "wrist", "elbow"),
    "ulna": ("forearm", "wrist", "elbow"),
    "femur": ("thigh", "hip", "knee"),
    "tibia": ("leg", "knee", "ankle"),
    "fibula": ("leg", "knee", "ankle"),
}
# Words naming a limb as a whole, the side included ("RLE" = right lower extremity).
SIDED_LIMBS: dict[str, tuple[str, str]] = {
    "rle": ("right", "leg"),
    "lle": ("left", "leg"),
    "rue": ("right", "arm"),
    "lue": ("left", "arm"),
}
LIMB_WORDS = frozenset({"extremity", "limb"})
_LIMB_QUALIFIERS = {"upper": "arm", "lower": "leg"}

# Condition words of descriptions and the words notes use instead. Matched by word stem.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "osteoarthritis": ("oa", "djd", "arthritis", "arthritic", "arthrosis", "degenerative"),
    "arthritis": ("oa", "djd", "arthritic"),
    "neoplasm": (
        "cancer",
        "carcinoma",
        "malignancy",
        "tumor",
        "tumour",
        "mass",
        "sarcoma",
        "lymphoma",
        "melanoma",
        "metastatic",
        "lesion",
    ),
    "malignant": ("cancer", "carcinoma", "malignancy"),
    "fracture": ("fx", "broken", "break"),
    "pain": (
        "ache",
        "aching",
        "hurt",
        "hurts",
        "painful",
        "sore",
        "soreness",
        "tender",
        "tenderness",
        "discomfort",
        "arthralgia",
    ),
    "otitis": ("om", "aom", "ome", "infection"),
    "otalgia": ("earache", "pain", "ache"),
    "carpal": ("cts",),
    "conjunctivitis": ("pink eye", "conjunctival"),
    "thrombosis": ("dvt", "clot", "thrombus", "thrombosed"),
    "embolism": ("dvt", "clot", "embolus"),
    "varicose": ("varicosities", "varicosity", "varices"),
    "sprain": ("sprained", "twisted", "rolled"),
    "strain": ("strained", "pulled"),
    "contusion": ("bruise", "bruised", "bruising"),
    "laceration": ("lac", "cut"),
    "tendinitis": ("tendonitis", "tendinopathy", "tendinosis"),
    "epicondylitis": ("tennis elbow", "golfer's elbow", "epicondylalgia"),
    "cerumen": ("earwax", "wax"),
    "impacted": ("impaction",),
    "sciatica": ("radicular", "radiculopathy"),
    "rotator": ("rc",),
    "tear": ("torn", "rupture", "ruptured"),
    "ulcer": ("ulceration", "wound"),
    "dislocation": ("dislocated",),
    "monoplegia": ("weakness", "paralysis", "paresis"),
    "hemiplegia": ("hemiparesis", "weakness", "paralysis"),
    "hearing": ("deafness", "deaf"),
    "degeneration": ("amd", "armd"),
}

# Synonyms that name many conditions ("mass", "pain", "infection"): they tie a sentence to
# the coded condition only when the sentence also names the code's body part.
LOOSE_SYNONYMS = word_set(
    """mass lesion tumor tumour malignancy infection ache aching hurt hurts sore soreness
    tender tenderness discomfort break cut wound degenerative clot pulled rolled twisted
    weakness"""
)

# Description words that do not identify a condition (qualifiers, encounter types, fillers).
GENERIC_WORDS = word_set(
    """unspecified other specified unilateral bilateral right left primary secondary
    initial subsequent encounter sequela routine healing delayed closed open type site
    region part level nos nec not classified elsewhere due with without of the and in or
    to at by for on as acute chronic recurrent age related lower upper end shaft female
    male displaced nondisplaced syndrome disorder disease condition traumatic
    nontraumatic asymptomatic symptomatic stage specified unspecified affecting side
    multiple single"""
)

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A crude stem: enough of the word to match its inflections ("fractur", "osteoarthr")."""
    return word[: max(5, len(word) - 3)]


def _forms(word: str) -> tuple[str, ...]:
    """The word and its possible singulars ("knees" -> knee, "extremities" -> extremity)."""
    word = word.lower()
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return tuple(forms)


def regions_of(site: str) -> frozenset[str]:
    """The body regions a classification site phrase covers ("upper limb" -> arm, hand …)."""
    site = site.lower().strip()
    for phrase, regions in _SITE_REGIONS.items():
        if site == phrase or site.endswith(" " + phrase):
            return frozenset(regions)
    return frozenset(
        region for word in _WORD.findall(site) if (region := anatomy_region(word)) is not None
    )


@cache
def anatomy_region(word: str, before: str = "") -> str | None:
    """The region a note word names, if it names a body part.

    A limb word is read with the word before it: "upper extremity" is an arm, "lower limb"
    a leg, a bare "extremity" just "limb".
    """
    for form in _forms(word):
        for region, words in REGIONS.items():
            if form == region or form in words:
                return region
        if form in LIMB_WORDS:
            return _LIMB_QUALIFIERS.get(before.lower(), "limb")
    return None


@dataclass(frozen=True)
class ConditionTerms:
    """What a note sentence must mention to be about one coded condition.

    ``site_regions`` are the body regions the side qualifies (empty for a description that
    says only "unspecified side"); ``site_words`` the site's own words, which also count
    when the lexicon does not know them ("calcaneus"); ``condition_stems`` /
    ``condition_phrases`` the condition words of the description and their specific
    synonyms; ``loose_stems`` synonyms shared by many conditions (see LOOSE_SYNONYMS).
    """

    site_regions: frozenset[str]
    site_words: frozenset[str]
    condition_stems: frozenset[str]
    condition_phrases: tuple[str, ...]
    loose_stems: frozenset[str] = frozenset()

    @classmethod
    def from_description(cls, description: str, site: str) -> ConditionTerms:
        site_words = frozenset(w for w in _WORD.findall(site.lower()) if w not in GENERIC_WORDS)
        regions = regions_of(site) if site_words else frozenset()
        words = _WORD.findall(description.lower())
        stems = {
            stem(word)
            for word in words
            if word not in GENERIC_WORDS
            and word not in site_words
            and len(word) > 2
            and anatomy_region(word) is None
        }
        loose: set[str] = set()
        phrases: list[str] = []
        for synonym in (synonym for word in words for synonym in SYNONYMS.get(word, ())):
            if " " in synonym or "'" in synonym:
                phrases.append(synonym)
            else:
                target = loose if synonym in LOOSE_SYNONYMS else stems
                target.add(synonym if len(synonym) <= 5 else stem(synonym))
        return cls(regions, site_words, frozenset(stems), tuple(phrases), frozenset(loose - stems))

    @property
    def generic_site(self) -> bool:
        """The description names no body part for the side ("Sciatica, unspecified side")."""
        return not self.site_words

    def is_site(self, word: str, before: str = "") -> bool:
        """Whether a note word (read with the word before it) names the code's body part."""
        region = anatomy_region(word.lower(), before)
        if region is not None and region in self.site_regions:
            return True
        if region == "limb":
            return any(r in self.site_regions for r in ("arm", "leg"))
        return any(form in self.site_words for form in _forms(word))

    def names_condition(self, word: str) -> bool:
        """A word of the condition itself or a specific synonym ("osteoarthritis", "OA")."""
        return _stem_match(word.lower(), self.condition_stems)

    def loosely_names_condition(self, word: str) -> bool:
        return _stem_match(word.lower(), self.loose_stems)


@cache
def _stem_match(word: str, stems: frozenset[str]) -> bool:
    return any(word == term or (len(term) > 4 and word.startswith(term)) for term in stems)
