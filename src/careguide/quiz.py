"""The terminal quiz: age, sex, main complaint, then one question at a time, then the results.

Input comes from a :class:`Prompter`: the keyboard, or lines from a file or stdin, so tests drive the
whole quiz end to end with the same code a person uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from careguide.engine import SUBJECTS, CareReason, Case, Config, InputError, Step, check_age, step, treatment_options
from careguide.kb.compile import Knowledge
from careguide.kb.schema import AnswerType, CareLevel, Finding
from careguide.report.content import answer_text
from careguide.text import parse, search, to_evidence
from careguide.text.understood import named_complaint, not_understood

__all__ = ["NOT_A_DIAGNOSIS", "InputEnded", "Prompter", "parse_subject", "run_quiz"]

NOT_A_DIAGNOSIS = (
    "CareGuide is not a diagnosis and does not replace a doctor. If you think it is an emergency, "
    "call your local emergency number now (999 in the UK, 112 in the EU, 911 in the US)."
)
CARE_TITLES = {
    CareLevel.EMERGENCY: ("EMERGENCY: get help now", "bold white on red"),
    CareLevel.URGENT: ("URGENT: see a doctor within 24 hours", "bold black on yellow"),
    CareLevel.ROUTINE: ("See a doctor in the coming days", "bold black on cyan"),
    CareLevel.SELF_CARE: ("Self-care is likely to be enough", "bold black on green"),
}
CARE_ADVICE = {
    CareLevel.EMERGENCY: "Call your emergency number or go to the nearest emergency department now.",
    CareLevel.URGENT: "Contact a doctor or an urgent care service today, within 24 hours.",
    CareLevel.ROUTINE: "Book an appointment with your doctor. Get help sooner if you get worse.",
    CareLevel.SELF_CARE: "You can look after this yourself. Get medical advice if it gets worse, "
    "if new symptoms appear, or if it is not improving as expected.",
}


class InputEnded(Exception):
    """Scripted input ran out before the quiz finished."""


@dataclass
class Prompter:
    """Asks for one line of input; ``lines`` replaces the keyboard when set (scripted mode)."""

    console: Console
    lines: Iterator[str] | None = None

    def ask(self, prompt: str) -> str:
        if self.lines is None:
            try:
                return self.console.input(f"[bold]{escape(prompt)}[/] ")
            except EOFError as exc:
                raise InputEnded from exc
        try:
            line = next(self.lines).rstrip("\n")
        except StopIteration as exc:
            raise InputEnded from exc
        self.console.print(f"[bold]{escape(prompt)}[/] {escape(line)}")
        return line


def _ask_until(prompter: Prompter, prompt: str, parse: Callable[[str], object | None], error: str) -> object:
    while True:
        value = parse(prompter.ask(prompt).strip())
        if value is not None:
            return value
        prompter.console.print(f"[red]{error}[/]")


# How the quiz speaks of the person the answers are about, in its prompts and headings.
_WHOSE = {"self": "your", "child": "your child's", "other": "their"}
_WHO = {"self": "you", "child": "your child", "other": "them"}
_SUBJECT_WORDS = {
    "1": "self", "me": "self", "myself": "self", "self": "self", "": "self",
    "2": "child", "child": "child", "my child": "child", "c": "child",
    "3": "other", "other": "other", "someone else": "other", "someone": "other", "o": "other",
}  # fmt: skip


def parse_subject(text: str) -> str | None:
    """ "self", "child" or "other" from an answer to "Who is this for?" (a number or a word; blank is me)."""
    return _SUBJECT_WORDS.get(" ".join(text.lower().split()))


def _ask_subject(prompter: Prompter) -> str:
    prompter.console.print("Who are you answering for?  1. Me  2. My child  3. Someone else")
    return str(
        _ask_until(
            prompter,
            "Choose 1, 2 or 3 (Enter for me):",
            parse_subject,
            "Please choose 1 (me), 2 (my child) or 3 (someone else).",
        )
    )


def _parse_age(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 <= int(text) <= 120 else None


def _ask_age(knowledge: Knowledge, prompter: Prompter, subject: str = "self") -> int:
    """The person's age, asked again while it is not one the knowledge pack is written for."""
    prompt = {
        "self": "Age in years (for a child, the child's age):",
        "child": "Your child's age in years:",
        "other": "Their age in years:",
    }[subject]
    while True:
        age = int(
            str(
                _ask_until(
                    prompter,
                    prompt,
                    _parse_age,
                    "Please type a whole number from 0 to 120.",
                )
            )
        )
        try:
            check_age(knowledge, age)
        except InputError as exc:
            prompter.console.print(
                f"[red]Age: {escape(exc.message)}. For a younger person, ask a doctor or pharmacist; in an "
                "emergency call your local emergency number.[/]"
            )
            continue
        return age


def _ask_months(prompter: Prompter, age: int) -> int | None:
    """A child under 2's age in completed months (blank for unknown: rules then err on the safe side)."""

    def parse(text: str) -> int | str | None:
        text = text.strip()
        if not text:
            return ""
        if text.isdigit() and int(text) // 12 == age:
            return int(text)
        return None

    value = _ask_until(
        prompter,
        "Age in months (for a child under 2; leave blank if unsure):",
        parse,
        f"Please give a number of months that fits {age} year(s), or leave it blank.",
    )
    return value if isinstance(value, int) else None


def _show_alert(alert: CareReason, console: Console) -> None:
    emergency = alert.level is CareLevel.EMERGENCY
    lines = [alert.text]
    if alert.advice:
        lines += ["", alert.advice]
    title = (
        "Call your emergency number now (999 in the UK, 112 in the EU, 911 in the US)"
        if emergency
        else ("Get medical help within 24 hours: call your doctor or 111")
    )
    console.print(Panel(escape("\n".join(lines)), title=title, style="bold white on red" if emergency else "bold"))


def _parse_sex(text: str) -> str | None:
    return {"f": "female", "female": "female", "m": "male", "male": "male"}.get(text.lower())


def _choose_complaint(
    knowledge: Knowledge, prompter: Prompter, subject: str = "self"
) -> tuple[Finding, dict[str, str | list[str]]]:
    """The main complaint, and what the typed words already answer ("back pain for months, no fever")."""
    console = prompter.console
    ask = f"What is bothering {_WHO[subject]} most? Type a few words:"
    words = prompter.ask(ask)
    while True:
        parsed = parse(knowledge, words)
        named = named_complaint(knowledge, parsed)
        if named is not None:  # the words name one complaint: no list to choose from
            return named, _understood(knowledge, words, named, console)
        matches = search(knowledge, words, complaints_only=True)
        if not matches:
            examples = ", ".join([f.name.lower() for f in knowledge.findings if f.complaint][:8])
            console.print(f"[yellow]Nothing matched. Try other words, for example: {escape(examples)}.[/]")
            words = prompter.ask(ask)
            continue
        for i, m in enumerate(matches, 1):
            console.print(f"  {i}. {escape(m.finding.name)}")
        while True:
            pick = prompter.ask("Choose a number, or type other words:").strip()
            if not pick.isdigit():
                break
            if 1 <= int(pick) <= len(matches):
                chosen = matches[int(pick) - 1].finding
                return chosen, _understood(knowledge, words, chosen, console)
            console.print(f"[red]Please choose a number from 1 to {len(matches)}.[/]")
        words = pick or prompter.ask(ask)


def _understood(knowledge: Knowledge, words: str, complaint: Finding, console: Console) -> dict[str, str | list[str]]:
    """The answers the words give, said back so that a misreading can be seen, and what was not understood."""
    parsed = parse(knowledge, words)
    given = to_evidence(knowledge, parsed, gate_with={complaint.id})
    given.pop(complaint.id, None)
    read = [complaint.name] + [
        f"{knowledge.finding(f).name}: {answer_text(knowledge.finding(f), a)}" for f, a in given.items()
    ]
    console.print(f"[green]We understood:[/] {escape('; '.join(read))}")
    missed = not_understood(words, parsed)
    if missed:
        console.print(f"[yellow]Not understood:[/] {escape('; '.join(missed))}")
    return given


@dataclass
class _Interview:
    knowledge: Knowledge
    case: Case
    history: list[str] = field(default_factory=list)  # finding ids in the order answered


def _read_answer(prompter: Prompter, finding: Finding) -> str | list[str] | None:
    """The answer, or None for "go back". Re-asks on input it cannot read."""
    console = prompter.console
    if finding.type is AnswerType.YES_NO:
        keys = {
            "y": "present",
            "yes": "present",
            "n": "absent",
            "no": "absent",
            "?": "unknown",
            "d": "unknown",
        }
        while True:
            text = prompter.ask("[y] yes  [n] no  [?] don't know  [b] back:").strip().lower()
            if text in ("b", "back"):
                return None
            if text in keys:
                return keys[text]
            console.print("[red]Please answer y, n, ? or b.[/]")
    for i, option in enumerate(finding.options, 1):
        console.print(f"  {i}. {escape(option.label)}")
    several = finding.type is AnswerType.SEVERAL_CHOICES
    hint = "numbers separated by commas, 0 for none" if several else "one number"
    while True:
        text = prompter.ask(f"Choose {hint}  [?] don't know  [b] back:").strip().lower()
        if text in ("b", "back"):
            return None
        if text in ("?", "d"):
            return "unknown"
        parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]
        if several and parts == ["0"]:
            return []
        if parts and all(p.isdigit() and 1 <= int(p) <= len(finding.options) for p in parts):
            chosen = [finding.options[int(p) - 1].id for p in dict.fromkeys(parts)]
            if several:
                return chosen
            if len(chosen) == 1:
                return chosen[0]
        console.print(f"[red]Please choose {hint}, ? or b.[/]")


def _show_results(knowledge: Knowledge, case: Case, result: Step, console: Console, subject: str = "self") -> None:
    title, style = CARE_TITLES[result.care.level]
    lines = [CARE_ADVICE[result.care.level], ""]
    lines += [f"- {r.text}" for r in result.care.reasons]
    console.print(Panel(escape("\n".join(lines)), title=title, style=style))

    # The answers are the answerer's, but "your answers" would read as if they were about the answerer.
    heading = "your answers" if subject == "self" else "the answers"
    table = Table(title=f"Conditions that best explain {heading}", show_lines=True)
    table.add_column("Condition")
    table.add_column("Chance", justify="right")
    table.add_column("Why")
    for rc in result.conditions[:5]:
        if rc.probability < 0.005:
            continue
        table.add_row(
            escape(f"{rc.condition.name}\n({rc.condition.clinical_name})"),
            f"{rc.probability:.0%}",
            escape(rc.explanation.text),
        )
    console.print(table)

    options = treatment_options(knowledge, case, result)
    if options:
        console.print("[bold]Treatment options to discuss with a doctor or pharmacist[/]")
        for opt in options:
            t = opt.treatment
            names = ", ".join(knowledge.condition(c).name for c in opt.conditions)
            kind = t.kind.value.replace("_", " ")
            console.print(f"- [bold]{escape(t.name)}[/] ({kind}; for {escape(names)}): {escape(t.description)}")
            console.print(f"  [dim]Evidence: {escape(t.evidence)}[/]")
    console.print(f"[italic]{NOT_A_DIAGNOSIS}[/]")


def run_quiz(
    knowledge: Knowledge, prompter: Prompter, config: Config | None = None, subject: str | None = None
) -> Step:
    """Run the whole quiz; returns the final step (with care level and conditions).

    ``subject`` is whom the answers are about ("self", "child" or "other"); asked first when None.
    """
    console = prompter.console
    config = config or Config.for_knowledge(knowledge)
    console.print(Panel(NOT_A_DIAGNOSIS, title="CareGuide symptom checker", style="bold"))
    if subject is None:
        subject = _ask_subject(prompter)
    elif subject not in SUBJECTS:
        raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}, got {subject!r}")
    age = _ask_age(knowledge, prompter, subject)
    months = _ask_months(prompter, age) if age < 2 else None
    sex_prompt = (
        "Sex (female or male):" if subject == "self" else f"{_WHOSE[subject].capitalize()} sex (female or male):"
    )
    sex = _ask_until(prompter, sex_prompt, _parse_sex, "Please type female or male (or f / m).")
    complaint, given = _choose_complaint(knowledge, prompter, subject)
    case = Case(age, str(sex), (), complaint.id, months, volunteered=tuple(given.items()))
    interview = _Interview(knowledge, case)
    warned: set[str] = set()

    while True:
        try:
            result = step(knowledge, interview.case, config)
        except InputError as exc:  # cannot happen with answers read here; say so rather than crash
            console.print(f"[red]Error: {exc}[/]")
            raise
        alert = result.alert
        if alert is not None and alert.rule and alert.rule not in warned:
            # Emergency first: said at once, before any other question; going on is only to learn more.
            warned.add(alert.rule)
            _show_alert(alert, console)
            if alert.level is CareLevel.EMERGENCY:
                go_on = prompter.ask("Press c and Enter to carry on with the questions to learn more, or q to stop:")
                if go_on.strip().lower() not in ("c", "continue"):
                    break
        if result.should_stop or result.question is None:
            break
        q = result.question
        console.print(f"\n[bold cyan]Question {result.questions_asked + 1}[/]  {escape(q.text_for(subject))}")
        console.print(f"[dim]{escape(q.reason_for(subject))}[/]")
        answer = _read_answer(prompter, q.finding)
        if answer is None:
            if interview.history:
                interview.case = interview.case.without(interview.history.pop())
                console.print("[dim]Gone back one question.[/]")
            else:
                console.print("[dim]This is the first question.[/]")
            continue
        interview.case = interview.case.answered(q.id, answer)
        interview.history.append(q.id)
    console.print()
    _show_results(knowledge, interview.case, result, console, subject)
    return result
