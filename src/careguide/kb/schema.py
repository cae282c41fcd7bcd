"""The knowledge-base file format, as pydantic models.

Every model forbids unknown keys, so a typo in a knowledge file is an error rather than a silently
ignored field. Cross-references (a condition naming a finding, a figure naming a source) are checked by
:mod:`careguide.kb.validate`, which sees the whole pack; these models check one file at a time.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

__all__ = [
    "AGE_BANDS",
    "AnswerType",
    "CareLevel",
    "Condition",
    "EngineSettings",
    "Finding",
    "FindingCategory",
    "FindingLink",
    "Measure",
    "Option",
    "Pack",
    "Prior",
    "Provenance",
    "RedFlagRule",
    "Source",
    "Treatment",
    "TreatmentKind",
    "age_band_index",
]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
# A reference to a finding, optionally to one of its options: "pain_onset" or "pain_onset:sudden".
Ref = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?$", max_length=130)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

# Age bands of the US National Ambulatory Medical Care Survey, which SymCat's figures use; sharing
# them lets imported and hand-written packs state priors the same way.
AGE_BANDS: tuple[str, ...] = ("0-0", "1-4", "5-14", "15-29", "30-44", "45-59", "60-74", "75+")
_BAND_BOUNDS: tuple[tuple[int, int], ...] = ((0, 0), (1, 4), (5, 14), (15, 29), (30, 44), (45, 59), (60, 74))


def age_band_index(age: int) -> int:
    """Index in :data:`AGE_BANDS` of the band holding ``age`` (whole years)."""
    for i, (_, high) in enumerate(_BAND_BOUNDS):
        if age <= high:
            return i
    return len(AGE_BANDS) - 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CareLevel(StrEnum):
    """How soon and where to get care, most urgent first."""

    EMERGENCY = "emergency"  # now: emergency department or ambulance
    URGENT = "urgent"  # within 24 hours
    ROUTINE = "routine"  # see a doctor in the coming days or weeks
    SELF_CARE = "self_care"  # look after yourself, with advice on when to get help

    @property
    def rank(self) -> int:
        """0 for self-care up to 3 for emergency."""
        return _CARE_RANK[self]


_CARE_RANK = {CareLevel.SELF_CARE: 0, CareLevel.ROUTINE: 1, CareLevel.URGENT: 2, CareLevel.EMERGENCY: 3}


class AnswerType(StrEnum):
    YES_NO = "yes_no"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "several_choices"


class FindingCategory(StrEnum):
    SYMPTOM = "symptom"
    RISK_FACTOR = "risk_factor"
    HISTORY = "history"
    DEMOGRAPHIC = "demographic"


Quantity = Literal["temperature_c", "heart_rate", "breathing_rate", "systolic_bp", "oxygen_saturation", "pain_score"]


class Measure(_Model):
    """How a number a person types ("temp 39.2", "102F", "HR 120", "pain 8/10") answers a finding."""

    quantity: Quantity
    at_least: float | None = None  # present when the value is at least this
    at_most: float | None = None  # present when the value is at most this (e.g. oxygen saturation)
    absent_below: float | None = None  # absent when the value is below this (a normal temperature)

    @model_validator(mode="after")
    def _has_bound(self) -> Measure:
        if self.at_least is None and self.at_most is None and self.absent_below is None:
            raise ValueError("a measure needs at_least, at_most or absent_below")
        return self


class Option(_Model):
    id: Id
    label: Text
    synonyms: list[Text] = Field(default_factory=list)  # people's words for it, for free-text parsing
    # For an option of how long something has lasted: the range of days it stands for, [from, to), so that
    # "for 3 days", "since Monday" or "2/52" choose it. ``to`` may be omitted for "and longer".
    days: list[float] | None = Field(default=None, min_length=1, max_length=2)
    # For an option read from a number (a pain score from 0 to 10): [from, to].
    score: list[float] | None = Field(default=None, min_length=2, max_length=2)


class Finding(_Model):
    """Something a person can be asked about: a symptom, a risk factor, their history."""

    id: Id
    name: Text  # clinical name, for explanations and clinicians
    question: Text  # what the person is asked, in plain words
    question_other: Text | None = None  # the same, asked of someone answering for another person ("they")
    type: AnswerType = AnswerType.YES_NO
    options: list[Option] = Field(default_factory=list)
    # Asked only once the parent is present ("finding") or that option was chosen ("finding:option").
    # Figures for a child are conditional on its parent being present.
    parent: Ref | None = None
    category: FindingCategory = FindingCategory.SYMPTOM
    synonyms: list[Text] = Field(default_factory=list)
    # Whether the finding can be the main complaint a person starts the quiz with.
    complaint: bool = False
    sex: Literal["female", "male"] | None = None  # asked only of this sex
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    # P(present | a condition that does not list this finding); overrides the pack's default leak.
    leak: float | None = Field(default=None, gt=0, lt=1)
    leak_source: Id | None = None  # where the leak figure comes from (else it is an expert estimate)
    # For a choice finding: P(option | a condition that does not list it); unlisted options get the leak
    # (one_choice: normalised to sum to 1; without it a one_choice finding defaults to uniform).
    background: dict[Id, float] | None = None
    # Whether an option named in free text implies the parent ("lower back" -> back pain). False for
    # attributes any symptom has (how long, how it started): "for two days" says nothing about the back.
    options_imply_parent: bool = True
    # For a yes/no child: whether, named in free text, it means its parent too ("epigastric pain" is tummy
    # pain). False for a child that is not a kind of its parent ("sweating" is asked only with chest pain).
    implies_parent: bool = True
    # A number in the person's words that answers this finding (temperature, pulse...).
    measure: Measure | None = None
    # A family-history finding: what a mention of these findings means when said of a relative ("my mum had
    # breast cancer" is family history of cancer, not the person's own history of cancer).
    family_of: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_match_type(self) -> Finding:
        if self.type is AnswerType.YES_NO and self.options:
            raise ValueError("a yes_no finding takes no options")
        if self.type is not AnswerType.YES_NO and len(self.options) < 2:
            raise ValueError(f"a {self.type.value} finding needs at least 2 options")
        if self.background is not None:
            if self.type is AnswerType.YES_NO:
                raise ValueError("`background` is for choice findings; a yes_no finding uses `leak`")
            unknown = sorted(set(self.background) - {o.id for o in self.options})
            if unknown:
                raise ValueError(f"background names unknown option(s): {', '.join(unknown)}")
            if any(not 0 < v < 1 for v in self.background.values()):
                raise ValueError("background probabilities must be inside (0, 1)")
        if self.complaint and self.type is not AnswerType.YES_NO:
            raise ValueError("only a yes_no finding can be a main complaint")
        ids = [o.id for o in self.options]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate option id(s): {', '.join(dupes)}")
        return self


class _Sourced(_Model):
    """A figure's provenance: a source id, or an explicit mark that it is an expert estimate."""

    source: Id | None = None
    expert_estimate: bool = False
    note: str | None = None  # how the figure was derived (e.g. "sensitivity 0.60 in Bell 2007")

    @model_validator(mode="after")
    def _has_provenance(self) -> _Sourced:
        if self.source is None and not self.expert_estimate:
            raise ValueError("figure has no source: give `source: <id>` or `expert_estimate: true`")
        if self.source is not None and self.expert_estimate:
            raise ValueError("give either `source` or `expert_estimate: true`, not both")
        return self


class FindingLink(_Sourced):
    """P(finding | condition): ``p`` for a yes/no finding, ``options`` for a choice finding."""

    p: float | None = None
    options: dict[Id, float] | None = None
    # This finding is a warning sign for the condition: the interview asks it first while the
    # condition is still possible (see the safety rule in careguide.engine).
    red_flag: bool = False
    # False when the finding is recorded at visits for the condition but the condition does not cause it
    # (another reason for the same visit). It still counts as an answer, but as a main complaint the
    # condition does not explain it: the pack's complaint_leak applies, as for an unlisted finding.
    explains: bool = True

    @model_validator(mode="after")
    def _one_figure(self) -> FindingLink:
        if (self.p is None) == (self.options is None):
            raise ValueError("give `p` for a yes_no finding or `options` for a choice finding")
        return self


class Provenance(_Sourced):
    """Where a group of figures comes from."""


class Prior(_Sourced):
    """How common a condition is among the people the pack is for, by age band and sex.

    The prior for a person is ``value * age[band] * sex[sex]``; missing bands and sexes mean 1.
    A multiplier of 0 makes the condition impossible there (e.g. a condition of one sex only).
    The multipliers carry their own provenance in ``modifiers``.
    """

    value: float = Field(gt=0, lt=1)
    age: dict[str, float] = Field(default_factory=dict)
    sex: dict[Literal["female", "male"], float] = Field(default_factory=dict)
    modifiers: Provenance | None = None

    @model_validator(mode="after")
    def _modifiers_sourced(self) -> Prior:
        if (self.age or self.sex) and self.modifiers is None:
            raise ValueError("age/sex multipliers need `modifiers: {source: <id>}` or `{expert_estimate: true}`")
        return self

    @field_validator("age")
    @classmethod
    def _known_bands(cls, v: dict[str, float]) -> dict[str, float]:
        for band, mult in v.items():
            if band not in AGE_BANDS:
                raise ValueError(f"unknown age band {band!r}; expected one of {', '.join(AGE_BANDS)}")
            if mult < 0:
                raise ValueError(f"age multiplier for {band} is negative ({mult})")
        return v

    @field_validator("sex")
    @classmethod
    def _non_negative(cls, v: dict[str, float]) -> dict[str, float]:
        for sex, mult in v.items():
            if mult < 0:
                raise ValueError(f"sex multiplier for {sex} is negative ({mult})")
        return v


_ICD10_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")


class Condition(_Model):
    id: Id
    name: Text  # lay name, what a person calls it
    clinical_name: Text
    icd10: str
    summary: Text | None = None
    care: CareLevel
    must_not_miss: bool = False
    prior: Prior
    findings: dict[Id, FindingLink]
    # Figures imported from a data set (SymCat's visit records) rather than written as a clinical profile:
    # the pack's imported_weight and imported_exponent apply (the long tail must not crowd out profiles).
    imported: bool = False
    # A yes/no exposure finding (an injury, cold, dust at work...) that nearly everyone with the condition has had.
    # Until it is answered "yes", the condition counts it as answered "no": an exposure-bound condition becomes
    # likely only through its exposure (see docs/general-knowledge.md and kb.compile).
    requires: Id | None = None

    @field_validator("icd10")
    @classmethod
    def _icd10_shape(cls, v: str) -> str:
        if not _ICD10_SHAPE.match(v):
            raise ValueError(f"{v!r} is not shaped like an ICD-10-CM code (e.g. M54.50)")
        return v


class Source(_Model):
    id: Id
    citation: Text
    doi: str | None = None
    pmid: str | None = Field(default=None, pattern=r"^[0-9]{1,9}$")
    url: str | None = Field(default=None, pattern=r"^https?://")

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if not (self.doi or self.pmid or self.url):
            raise ValueError("a source needs at least one of doi, pmid or url")
        return self


class RedFlagRule(_Model):
    """A combination of answers that sets the care level directly, whatever the probabilities say."""

    id: Id
    level: CareLevel
    reason: Text  # shown to the person
    all: list[Ref] = Field(default_factory=list)  # every one present
    any: list[Ref] = Field(default_factory=list)  # at least one present (if any listed)
    none: list[Ref] = Field(default_factory=list)  # none of these present
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    # For babies: bounds in completed months (e.g. max_age_months: 2 for "under 3 months").
    min_age_months: int | None = Field(default=None, ge=0, le=24)
    max_age_months: int | None = Field(default=None, ge=0, le=24)
    sex: Literal["female", "male"] | None = None
    conditions: list[Id] = Field(default_factory=list)  # conditions this rule guards against
    # The main complaints whose protocol holds this rule: its questions are screened for people who start
    # from one of them. Empty: a general warning sign, screened once one of its findings is present.
    complaints: list[Id] = Field(default_factory=list)
    advice: Text | None = None  # what to do now, and while waiting for help
    source: Id

    @model_validator(mode="after")
    def _has_trigger(self) -> RedFlagRule:
        if not self.all and not self.any:
            raise ValueError("a rule needs at least one finding in `all` or `any`")
        return self


class TreatmentKind(StrEnum):
    SELF_CARE = "self_care"
    OVER_THE_COUNTER = "over_the_counter"
    PRESCRIPTION = "prescription"
    PROCEDURE = "procedure"
    THERAPY = "therapy"


class Treatment(_Model):
    id: Id
    name: Text
    kind: TreatmentKind
    description: Text
    conditions: list[Id] = Field(min_length=1)
    # Offered only when at least one of these is present (empty: for everyone with the condition).
    findings: list[Ref] = Field(default_factory=list)
    evidence: Text  # what the evidence shows, with figures where there are some
    source: Id
    # Contraindications, applied to each person (see careguide.engine.treatments):
    not_when: list[Ref] = Field(default_factory=list)  # not offered when any of these is present
    not_when_red_flag: bool = False  # not offered once a red-flag rule guarding against a condition has fired
    # Not offered when any of these conditions is at least ``suspected_above`` likely.
    not_when_suspected: list[Id] = Field(default_factory=list)
    suspected_above: float = Field(default=0.05, gt=0, lt=1)
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    sexes: list[Literal["female", "male"]] = Field(default_factory=list)  # empty: any sex
    not_in_pregnancy: bool = False  # not offered when the person said they are or may be pregnant
    # Where the contraindications come from, when not from ``source``.
    contraindication_source: Id | None = None

    @model_validator(mode="after")
    def _ages_in_order(self) -> Treatment:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(f"min_age ({self.min_age}) is above max_age ({self.max_age})")
        return self

    @field_validator("sexes")
    @classmethod
    def _sexes_once(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("sexes lists a sex twice")
        return v


class EngineSettings(_Model):
    """Interview and triage settings a pack may tune (see careguide.engine.Config)."""

    budget: int | None = Field(default=None, ge=1, le=200)
    confidence: float | None = Field(default=None, gt=0, lt=1)
    safety_threshold: float | None = Field(default=None, gt=0, lt=1)
    # Harm of failing to give the care level a person needs, per level failed (over-triage costs 1 a level).
    care_costs: dict[CareLevel, float] | None = None
    likelihood_exponent: float | None = Field(default=None, gt=0, le=1)


class Pack(_Model):
    """``pack.yaml``: what the knowledge pack is and pack-wide defaults."""

    name: Text
    version: Text
    license: Text
    description: Text
    attribution: list[Text] = Field(default_factory=list)
    leak: float = Field(default=0.01, gt=0, lt=0.5)
    # P(a finding is the main complaint | a condition that does not list it). A main complaint is the
    # symptom the person wants explained, so in a pack with many conditions it should be rarer than an
    # incidental answer of "yes"; default: the finding's own leak.
    complaint_leak: float | None = Field(default=None, gt=0, lt=0.5)
    # P(present | parent present, a condition that does not list it) for a yes/no child finding without a
    # leak of its own: a refinement ("sharp tummy pain") is common among people with its parent, so the
    # default leak (a rate among everyone) would count a "yes" far too strongly against unlisted conditions.
    child_leak: float | None = Field(default=None, gt=0, lt=1)
    min_age: int = Field(default=0, ge=0, le=120)  # youngest age the pack is written for
    # For conditions marked `imported`: their prior is multiplied by imported_weight and their answers'
    # log likelihoods by imported_exponent (see docs/general-knowledge.md, "Three layers").
    imported_weight: float = Field(default=1.0, gt=0, le=1)
    imported_exponent: float = Field(default=1.0, gt=0, le=1)
    engine: EngineSettings = Field(default_factory=EngineSettings)
