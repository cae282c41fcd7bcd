"""`careguide`: the terminal quiz, knowledge checks and benchmarks."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from careguide.engine import Config, InputError
from careguide.kb import Knowledge, KnowledgeError, check, default_path, load, read_pack

__all__ = ["app"]

app = typer.Typer(help="CareGuide: an open, explainable symptom checker.", no_args_is_help=True, add_completion=False)
kb_app = typer.Typer(help="Work with knowledge packs.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
eval_app = typer.Typer(help="Evaluate the knowledge and the engine.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
import_app = typer.Typer(help="Turn public data sets into knowledge packs.", no_args_is_help=True)
app.add_typer(import_app, name="import")
DDXPLUS_DIR = Path("../shared/data/ddxplus")

KbOption = Annotated[Path | None, typer.Option("--kb", help="Knowledge pack directory (default: the shipped one).")]


def _load_or_exit(path: Path | None, console: Console) -> Knowledge:
    """Load the pack, or print its problems and exit 1: nothing runs on invalid knowledge."""
    try:
        return load(path)
    except KnowledgeError as exc:
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        for problem in exc.problems:
            err.print(str(problem), markup=False)
        err.print(f"refusing to start: the knowledge pack has {len(exc.problems)} problem(s)", markup=False)
        raise typer.Exit(1) from None


@kb_app.command("check")
def kb_check(
    path: Annotated[Path | None, typer.Argument(help="Pack directory (default: the shipped one).")] = None,
) -> None:
    """Validate a knowledge pack; print every problem as path:line: message; exit 1 if any."""
    root = path or default_path()
    problems = check(root)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {root}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{root}: ok")


class ForWhom(StrEnum):
    """Whom the quiz answers are about (``careguide quiz --for``)."""

    SELF = "self"
    CHILD = "child"
    OTHER = "other"


@app.command()
def quiz(
    kb: KbOption = None,
    answers: Annotated[
        Path | None,
        typer.Option(help="Read answers from this file, one per line ('-' for stdin), instead of the keyboard."),
    ] = None,
    budget: Annotated[int | None, typer.Option(min=1, max=200, help="Most questions to ask.")] = None,
    for_whom: Annotated[
        ForWhom | None,
        typer.Option("--for", help="Whom the answers are about: self, child or other (asked first if not given)."),
    ] = None,
) -> None:
    """Take the symptom quiz in the terminal."""
    from careguide.quiz import InputEnded, Prompter, run_quiz

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    lines = None
    if answers is not None:
        if str(answers) == "-":
            lines = iter(sys.stdin.readlines())
        else:
            try:
                lines = iter(answers.read_text(encoding="utf-8").splitlines())
            except OSError as exc:
                console.print(f"[red]Cannot read answers file {answers}: {exc.strerror}[/]")
                raise typer.Exit(2) from None
    config = Config.for_knowledge(knowledge, **({"budget": budget} if budget else {}))
    try:
        run_quiz(knowledge, Prompter(console, lines), config, for_whom.value if for_whom else None)
    except InputEnded:
        console.print("[red]The input ended before the quiz finished.[/]")
        raise typer.Exit(1) from None
    except InputError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print("\nQuiz stopped.")
        raise typer.Exit(130) from None


@app.command()
def bench(
    kb: KbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    steps: Annotated[int, typer.Option(min=100, help="Steps to time per pack.")] = 3000,
    conditions: Annotated[int, typer.Option(min=2, help="Conditions in the generated pack.")] = 1000,
    findings: Annotated[int, typer.Option(min=10, help="Findings in the generated pack.")] = 600,
) -> None:
    """Time one engine step (posterior, care, explanations, next question) on one core."""
    from threadpoolctl import threadpool_limits

    from careguide.evaluation import generated_pack, time_steps

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    with threadpool_limits(limits=1):
        results = [
            time_steps(knowledge, "shipped", steps),
            time_steps(generated_pack(conditions, findings), f"generated {conditions}x{findings}", steps),
        ]
    if as_json:
        typer.echo(json.dumps({"threads": 1, "packs": [r.as_dict() for r in results]}))
        return
    for r in results:
        typer.echo(
            f"{r.pack:<24} {r.conditions:>5} conditions x {r.findings:>4} findings: "
            f"median {r.median_ms:.3f} ms, p95 {r.p95_ms:.3f} ms, {r.steps_per_second:,.0f} steps/s "
            f"({r.steps} steps in {r.interviews} interviews, 1 thread)"
        )


@eval_app.command("scenarios")
def eval_scenarios(
    path: Annotated[Path | None, typer.Argument(help="Scenario file (default: the pack's scenarios/*.yaml).")] = None,
    kb: KbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per scenario.")] = False,
) -> None:
    """Run clinical scenarios: expected care level and a condition in the top 3; exit 1 if any fails."""
    from careguide.evaluation.scenarios import load_scenarios, run_scenario

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    files = [path] if path else sorted((knowledge.root or Path(".")).glob("scenarios/*.yaml"))
    results = [run_scenario(knowledge, s) for f in files for s in load_scenarios(f)]
    for r in results:
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "id": r.scenario.id,
                        "passed": r.passed,
                        "care": r.care.value,
                        "expected_care": r.scenario.care.value,
                        "top3": r.top3,
                        "expected_top3": r.scenario.top3,
                        "rules": r.fired,
                    }
                )
            )
        else:
            mark = "ok  " if r.passed else "FAIL"
            top = ", ".join(f"{rc.condition.id} {rc.probability:.0%}" for rc in r.step.conditions[:3])
            care = f"care {r.care.value:<9} (want {r.scenario.care.value:<9})"
            typer.echo(f"{mark} {r.scenario.id:<36} {care} top3: {top}")
    failed = sum(not r.passed for r in results)
    typer.echo(f"{len(results) - failed} passed, {failed} failed", err=as_json)
    if failed:
        raise typer.Exit(1)


def _django() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careguide.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `careguide manage createsuperuser` or `purge_quiz_sessions`."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["careguide manage", *ctx.args])


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="gunicorn worker processes.")] = 2,
) -> None:
    """Migrate the database, collect static files and serve the site with gunicorn."""
    import os

    os.environ["CAREGUIDE_STATIC_MANIFEST"] = "1"
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    typer.echo(f"CareGuide on http://{host}:{port}/ (Ctrl+C to stop)")
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "careguide.web.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--preload",
        ],
    )


@app.command()
def loadtest(
    sessions: Annotated[int, typer.Option(min=1, help="Complete quiz sessions to run.")] = 300,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="Parallel simulated patients.")] = 8,
    workers: Annotated[int, typer.Option(min=1, max=64, help="gunicorn worker processes.")] = 2,
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL URL (default: $DATABASE_URL, else a temporary server).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Serve the site under gunicorn on PostgreSQL and drive complete quizzes through the API."""
    import os

    from careguide.evaluation.loadtest import run_load
    from careguide.web.pgtemp import temporary_postgres

    console = Console(highlight=False)
    knowledge = _load_or_exit(None, console)
    url = database_url or os.environ.get("DATABASE_URL")
    if url:
        result = run_load(knowledge, url, sessions, concurrency, workers)
    else:
        with temporary_postgres() as temp_url:
            result = run_load(knowledge, temp_url, sessions, concurrency, workers)
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    typer.echo(
        f"{result.sessions} quiz sessions, {result.requests} API steps in {result.seconds:.1f} s "
        f"({result.workers} gunicorn workers, {result.concurrency} parallel clients, PostgreSQL): "
        f"{result.requests_per_second:.0f} steps/s, p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
        f"p99 {result.p99_ms:.1f} ms, {result.errors} errors, {result.mean_questions:.1f} questions per session"
    )


def _ddxplus_or_exit(directory: Path) -> object:
    from careguide.importers import load_ddxplus

    try:
        return load_ddxplus(directory)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@import_app.command("ddxplus")
def import_ddxplus(
    directory: Annotated[Path, typer.Argument(help="DDXPlus folder (evidences, conditions, patients).")] = DDXPLUS_DIR,
    output: Annotated[Path, typer.Option(help="Directory to write the knowledge pack to.")] = Path("packs/ddxplus"),
) -> None:
    """Build a knowledge pack from DDXPlus, with figures learned from all its patients."""
    from careguide.importers import DDXPlus, build_pack, write_pack
    from careguide.kb import check

    data = _ddxplus_or_exit(directory)
    assert isinstance(data, DDXPlus)
    write_pack(build_pack(data, data.patients), output)
    problems = check(output)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(
        f"wrote {output}: {len(data.conditions)} conditions, {len(data.evidences)} findings, "
        f"learned from {len(data.patients)} patients"
    )


@eval_app.command("ddxplus")
def eval_ddxplus(
    directory: Annotated[Path, typer.Argument(help="DDXPlus folder.")] = DDXPLUS_DIR,
    output: Annotated[Path, typer.Option(help="Directory for the JSON, Markdown and PNG report.")] = Path(
        "reports/ddxplus"
    ),
    folds: Annotated[int, typer.Option(min=2, max=20)] = 5,
    budget: Annotated[int, typer.Option(min=1, max=200, help="Most questions per patient.")] = 30,
    limit: Annotated[int | None, typer.Option(min=1, help="Held-out patients per fold (default: all).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
) -> None:
    """k-fold cross-validated interviews on DDXPlus patients, reported in the DDXPlus paper's metrics."""
    from dataclasses import asdict

    from careguide.evaluation.ddxplus import evaluate, write_report
    from careguide.importers import DDXPlus

    data = _ddxplus_or_exit(directory)
    assert isinstance(data, DDXPlus)
    report = evaluate(data, folds=folds, budget=budget, limit=limit)
    paths = write_report(report, output)
    if as_json:
        typer.echo(json.dumps({k: v for k, v in asdict(report).items() if k != "per_condition_top1"}))
        return
    typer.echo((output / "ddxplus_report.md").read_text(encoding="utf-8"))
    typer.echo("written: " + ", ".join(str(p) for p in paths))


@eval_app.command("vignettes")
def eval_vignettes(
    path: Annotated[Path, typer.Argument(help="Vignettes, one JSON object per line.")],
    output: Annotated[Path, typer.Option("--output", help="Where to write one result line per vignette.")],
    kb: KbOption = None,
    unmentioned: Annotated[
        str,
        typer.Option(
            "--unmentioned",
            help="How a question the vignette does not answer is answered: 'unknown' (don't know), or 'absent' "
            "(no, as a person answers for a symptom they do not have).",
        ),
    ] = "unknown",
) -> None:
    """Parse each vignette's words, run the interview, write the results; score those with expectations."""
    from careguide.evaluation.vignettes import (
        VignetteError,
        describe,
        load_vignettes,
        run_vignette,
        summarise,
        write_results,
    )

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    try:
        vignettes = load_vignettes(path)
    except (OSError, VignetteError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if unmentioned not in ("unknown", "absent"):
        typer.echo("error: --unmentioned must be 'unknown' or 'absent'", err=True)
        raise typer.Exit(2)
    results = [run_vignette(knowledge, v, unmentioned_absent=unmentioned == "absent") for v in vignettes]
    write_results(results, output)
    s = summarise(results)
    typer.echo(f"wrote {len(results)} results to {output}")
    if s["vignettes"]:
        typer.echo(describe(s))


@eval_app.command("triage-tradeoff")
def eval_triage_tradeoff(
    path: Annotated[Path, typer.Argument(help="Vignettes with expected care levels (the development set).")],
    kb: KbOption = None,
    plot: Annotated[Path | None, typer.Option(help="Write the trade-off plot (PNG) here.")] = None,
) -> None:
    """Under- against over-triage for a grid of under-triage costs; the pack's own costs marked."""
    from careguide.engine import Config
    from careguide.evaluation.tradeoff import plot_tradeoff, tradeoff
    from careguide.evaluation.vignettes import load_vignettes
    from careguide.kb.schema import CareLevel

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    config = Config.for_knowledge(knowledge)
    chosen = tuple(config.care_costs[lv] for lv in (CareLevel.EMERGENCY, CareLevel.URGENT, CareLevel.ROUTINE))
    points = tradeoff(knowledge, load_vignettes(path), config=config)
    typer.echo("costs (emergency, urgent, routine): exact, safe, under, over, emergencies under-triaged")
    frontier = sorted(points, key=lambda p: (p.emergencies_under, p.under, -p.exact))
    for p in frontier[:25]:
        mark = "  <- the pack's costs" if p.costs == chosen else ""
        typer.echo(
            f"{p.costs}: exact {p.exact:.1%}, safe {p.safe:.1%}, under {p.under}, over {p.over}, "
            f"emergencies under {p.emergencies_under}{mark}"
        )
    mine = next((p for p in points if p.costs == chosen), None)
    if mine is not None and mine not in frontier[:25]:
        typer.echo(f"{mine.costs}: exact {mine.exact:.1%}, under {mine.under}, over {mine.over}  <- the pack's costs")
    if plot is not None:
        plot_tradeoff(points, chosen, plot)  # type: ignore[arg-type]
        typer.echo(f"wrote {plot}")


@eval_app.command("parse")
def eval_parse(
    path: Annotated[Path, typer.Argument(help="Annotated sentences, one JSON object per line.")],
    kb: KbOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List the sentences with mistakes.")] = False,
) -> None:
    """Precision and recall of free-text symptom parsing on annotated sentences."""
    from careguide.evaluation.parsing import score_file

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    scores = score_file(knowledge, path)
    if as_json:
        typer.echo(json.dumps(scores.as_dict(with_errors=errors)))
        return
    typer.echo(
        f"{scores.sentences} sentences: precision {scores.precision:.1%}, recall {scores.recall:.1%}, "
        f"F1 {scores.f1:.1%} "
        f"(present: P {scores.present_precision:.1%} R {scores.present_recall:.1%}; "
        f"absent: P {scores.absent_precision:.1%} R {scores.absent_recall:.1%})"
    )
    if scores.context_mentions:
        typer.echo(
            f"context errors: {scores.context_errors} of {scores.context_mentions} "
            f"({scores.context_error_rate:.1%}) family/past/hypothetical mentions read as present now"
        )
    if scores.about_checked:
        typer.echo(f"who it is about: {scores.about_correct} of {scores.about_checked} read right")
    typer.echo(f"parse time per sentence: median {scores.median_ms:.2f} ms, 95th percentile {scores.p95_ms:.2f} ms")
    if errors:
        for e in scores.errors:
            typer.echo(f"  {e['id']} {e['kind']}: extra {e['extra']} missed {e['missed']}")


@eval_app.command("synthetic")
def eval_synthetic(
    kb: KbOption = None,
    patients: Annotated[int, typer.Option(min=1, help="Simulated patients.")] = 500,
    budget: Annotated[int, typer.Option(min=1, max=200)] = 20,
    seed: Annotated[int, typer.Option()] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Interview patients drawn from the knowledge itself; top-1/3/5, questions and care-level accuracy."""
    from careguide.evaluation.synthetic import evaluate_synthetic

    console = Console(highlight=False)
    knowledge = _load_or_exit(kb, console)
    r = evaluate_synthetic(knowledge, patients, budget, seed)
    if as_json:
        typer.echo(json.dumps(r.as_dict()))
        return
    typer.echo(
        f"{r.patients} synthetic patients, budget {r.budget}: top-1 {r.top1:.1%}, top-3 {r.top3:.1%}, "
        f"top-5 {r.top5:.1%}, {r.mean_questions:.1f} questions; "
        f"care level {r.care_accuracy:.1%} as the condition's own, "
        f"{r.under_triaged:.1%} under-triaged, {r.over_triaged:.1%} over-triaged; "
        f"emergencies told less than emergency care: {r.emergencies_missed} of {r.emergencies}"
    )


@eval_app.command("symcat-subsets")
def eval_symcat_subsets(
    directory: Annotated[Path, typer.Argument(help="Folder with symcat_200.json, ...")] = Path(
        "../shared/data/symcat-subsets"
    ),
    patients: Annotated[int, typer.Option(min=1, help="Simulated patients per subset.")] = 1000,
    budget: Annotated[int, typer.Option(min=1, max=200, help="Turn budget.")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Top-1 / top-5 accuracy and mean turns on the SymCAT benchmark subsets (one initial symptom given)."""
    from careguide.evaluation.symcat_subsets import evaluate_subset

    files = [directory / f"symcat_{n}.json" for n in ("200", "300", "400", "common")]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        typer.echo(f"error: {missing[0]}: SymCAT subset file not found", err=True)
        raise typer.Exit(2)
    results = [evaluate_subset(f, patients, budget) for f in files]
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in results]))
        return
    for r in results:
        typer.echo(
            f"{r.subset:<14} {r.diseases} diseases, {r.symptoms} symptoms, {r.patients} patients, budget {r.budget}: "
            f"top-1 {r.top1:.1%}, top-5 {r.top5:.1%}, {r.mean_turns:.1f} turns"
        )


@import_app.command("symcat")
def import_symcat_command(
    directory: Annotated[Path, typer.Argument(help="SymCat folder.")] = Path("../shared/data/symcat"),
    curation: Annotated[Path, typer.Option(help="Curation overlay folder.")] = Path("knowledge/curation/symcat"),
    base: Annotated[Path, typer.Option(help="Base pack whose entries take precedence.")] = Path("knowledge"),
    general: Annotated[Path, typer.Option(help="Clinical profiles, which take precedence over both.")] = Path(
        "knowledge/general"
    ),
    output: Annotated[Path, typer.Option(help="Where to write the merged pack.")] = Path("packs/general"),
) -> None:
    """Build the general pack: the base pack, the clinical profiles and SymCat's curated long tail; check it.

    Every problem in the edited files is printed as path:line: message and nothing is written."""
    from careguide.importers.symcat import CurationError, import_symcat, load_symcat, write_import
    from careguide.kb import check, check_files
    from careguide.kb.conformance import conformance_problems

    try:
        data = load_symcat(directory)
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    files, base_problems = read_pack(base)
    if base_problems:
        for problem in base_problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1)
    profiles, general_problems = read_pack(general, fragment=True) if general.is_dir() else (None, [])
    try:
        result = import_symcat(data, curation, files, profiles)
    except CurationError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    before = sorted({*general_problems, *result.problems, *check_files(result.files)})
    if before:
        for problem in before:
            typer.echo(str(problem), err=True)
        typer.echo(f"{len(before)} problem(s); {output} was not written", err=True)
        raise typer.Exit(1)
    write_import(result, base, output)
    problems = [str(p) for p in check(output)]
    if not problems:
        reread, _ = read_pack(output)
        problems = conformance_problems(reread)
    for message in problems:
        typer.echo(message, err=True)
    typer.echo(
        f"wrote {output}: {len(result.files.conditions)} conditions ({len(result.excluded)} left out, "
        f"{len(result.merged)} merged into the base pack, {len(result.missing_curation)} awaiting curation), "
        f"{len(result.files.findings)} findings"
    )
    if problems:
        raise typer.Exit(1)
