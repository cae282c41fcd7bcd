"""Where to go and how soon: what the results page says first, for each care level.

Service names and numbers come from the deployment's settings (UK defaults), so a site in another country
says 112 or 911 and its own names. The words are general on purpose: what to do while waiting for an
ambulance is the same for everyone, whatever the cause.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from careguide.engine import Case, observe
from careguide.engine.triage import CARE_WORDS, CareReason, is_present
from careguide.kb import CareLevel, Knowledge
from careguide.report.content import CARE_TITLES

__all__ = ["Call", "CarePlan", "WarningSign", "care_plan", "warning_signs"]


@dataclass(frozen=True)
class Call:
    number: str
    label: str  # what the link says, e.g. "Call 999 for an ambulance"

    @property
    def href(self) -> str:
        return "tel:" + self.number.replace(" ", "").replace("-", "")


@dataclass(frozen=True)
class CarePlan:
    level: str
    title: str  # what to do, in one line
    service: str  # the kind of service: ambulance, urgent care, GP, pharmacy, self-care
    where: str  # where to go, in a sentence
    when: str  # how soon
    calls: tuple[Call, ...]
    while_waiting: tuple[str, ...] = ()  # for an emergency: safe, general steps until help comes
    get_help: tuple[str, ...] = ()  # when to get help sooner or again


def care_plan(level: str) -> CarePlan:
    """The plan for a care level ("emergency", "urgent", "routine" or "self_care")."""
    emergency, urgent = settings.CAREGUIDE_EMERGENCY_NUMBER, settings.CAREGUIDE_URGENT_NUMBER
    department, service, gp = (
        settings.CAREGUIDE_EMERGENCY_DEPARTMENT,
        settings.CAREGUIDE_URGENT_SERVICE,
        settings.CAREGUIDE_GP_SERVICE,
    )
    call_emergency = Call(emergency, f"Call {emergency} for an ambulance")
    worse = f"If it gets much worse, or you notice a new warning sign, call {emergency} at once."
    if level == CareLevel.EMERGENCY:
        return CarePlan(
            level,
            CARE_TITLES["emergency"],
            f"Ambulance ({emergency}) or {department}",
            f"Call {emergency} now, or go to {department} if someone can take you there straight away.",
            "Now",
            (call_emergency,),
            while_waiting=(
                "Stay with someone, or ask someone to come and be with you until help arrives.",
                "Do not drive yourself.",
                "Unlock the front door and keep your phone on and close by.",
                "Sit or lie down somewhere safe and avoid exerting yourself.",
                "Have a list of your medicines, allergies and health conditions ready for the crew, if you can.",
                f"If things get worse before help comes, call {emergency} again.",
            ),
        )
    if level == CareLevel.URGENT:
        return CarePlan(
            level,
            CARE_TITLES["urgent"],
            f"Urgent care: {service} ({urgent}), {gp}, or an out-of-hours service",
            f"Call {service} on {urgent}, or {gp} for an appointment today. When the surgery is closed, "
            f"{service} can arrange an urgent care centre or an out-of-hours doctor.",
            "Within 24 hours",
            (Call(urgent, f"Call {service} on {urgent}"),),
            get_help=(worse,),
        )
    if level == CareLevel.ROUTINE:
        return CarePlan(
            level,
            CARE_TITLES["routine"],
            f"GP: {gp}",
            f"Contact {gp} for an appointment with a doctor, nurse or physiotherapist there.",
            "In the coming days (or weeks, if it is not getting worse)",
            (),
            get_help=(
                f"If it gets worse before your appointment and you need advice sooner, call {service} on {urgent}.",
                worse,
            ),
        )
    return CarePlan(
        level,
        "You can probably look after this yourself",
        "Self-care at home, with advice from a pharmacist if you need it",
        "You do not need an appointment now. A pharmacist can advise on medicines without one.",
        "No appointment needed now",
        (),
        get_help=(
            f"Contact {gp}, or call {service} on {urgent}, if it is not getting better after a few days, "
            "lasts longer than you expected, or you are worried.",
            f"Get advice sooner from {service} ({urgent}) if new symptoms appear or it keeps getting worse.",
            worse,
        ),
    )


@dataclass(frozen=True)
class WarningSign:
    answers: tuple[str, ...]  # the answers the person said yes to that make the warning sign
    level: CareLevel
    conditions: tuple[str, ...]  # names of the conditions it can point to

    @property
    def text(self) -> str:
        said = _join([a[0].upper() + a[1:] if i == 0 else a for i, a in enumerate(self.answers)], "and")
        need = CARE_WORDS[self.level]
        if self.conditions:
            return f"{said}: together these can be a sign of {_join(list(self.conditions), 'or')}, which needs {need}."
        return f"{said}: this needs {need}."


def _join(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def warning_signs(knowledge: Knowledge, case: Case, red_flags: tuple[CareReason, ...]) -> list[WarningSign]:
    """For each red-flag rule that fired, only the answers the person said yes to that set it off (never a
    feature they denied or were not asked about, which a rule's own sentence may name)."""
    obs = observe(knowledge, case)
    rules = {r.id: r for r in knowledge.rules}
    out = []
    for reason in red_flags:
        rule = rules.get(reason.rule or "")
        if rule is None:
            continue
        said: list[str] = []
        for ref in [*rule.all, *rule.any]:
            if not is_present(knowledge, obs, ref):
                continue
            fid, _, opt = ref.partition(":")
            finding = knowledge.finding(fid)
            name = _lower_first(finding.name)
            if opt:
                label = next(o.label for o in finding.options if o.id == opt)
                name = f"{name}: {label.lower()}"
            if name not in said:
                said.append(name)
        names = tuple(
            _lower_first(knowledge.condition(c).name) for c in rule.conditions if c in knowledge.condition_index
        )
        if said:
            out.append(WarningSign(tuple(said), rule.level, names))
    return out
