"""The report as a PDF, laid out with ReportLab (pure Python: no system libraries to install)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from careguide.report.content import Report

__all__ = ["report_pdf"]

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=10, leading=13)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=9, leading=11)
_HEAD = ParagraphStyle("head", parent=_STYLES["Heading2"], fontSize=13, spaceBefore=10, spaceAfter=4)
_TITLE = ParagraphStyle("title", parent=_STYLES["Title"], fontSize=17, alignment=0, spaceAfter=6)
_WARN = ParagraphStyle(
    "warn", parent=_BODY, backColor=colors.HexColor("#fdecea"), borderPadding=6, borderColor=colors.HexColor("#b00020")
)


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    # ReportLab paragraphs read a little markup, so knowledge text is escaped before it goes in.
    return Paragraph(escape(text), style)


def _table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data = [[_p(h, _CELL) for h in header]] + [[_p(c, _CELL) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa7b4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _person(report: Report) -> str:
    complaint = f" Main symptom: {report.complaint.name}." if report.complaint else ""
    return f"Age {report.age_text}, {report.sex}.{complaint}"


def report_pdf(report: Report) -> bytes:
    """The PDF of ``report``: one or more A4 pages, each with the warning and page number at its foot."""
    out = BytesIO()
    width = A4[0] - 36 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title="CareGuide symptom summary",
        author="CareGuide",
        subject="Answers to a symptom questionnaire and CareGuide's estimates. Not a diagnosis.",
    )
    when = report.created.strftime("%d %B %Y, %H:%M %Z").strip().rstrip(",")
    story: list[Flowable] = [
        _p("Symptom summary for a health professional", _TITLE),
        _p(f"Made with CareGuide on {when}. Knowledge pack: {report.pack_name}, version {report.pack_version}."),
        Spacer(1, 4 * mm),
        _p(f"{report.not_a_diagnosis} {report.urgent_help}", _WARN),
        Spacer(1, 2 * mm),
        _p("About the person", _HEAD),
        _p(_person(report)),
        _p("Care level suggested", _HEAD),
        _p(f"{report.care_title}. {report.care_advice}"),
    ]
    if report.red_flags:
        story.append(_p("Warning signs in the answers:"))
        story += [_p(f"\u2022 {text}") for text in report.red_flags]
    story += [_p(text) for text in report.reasons]
    if not report.complete:
        story.append(_p("The person stopped before the end of the questions, so these estimates are less certain."))

    story.append(_p("Conditions considered (differential)", _HEAD))
    if report.conditions:
        rows = [
            [rc.condition.clinical_name, rc.condition.icd10, rc.condition.name, f"{rc.probability:.0%}"]
            for rc in report.conditions
        ]
        story.append(_table(["Condition", "ICD-10-CM", "In plain words", "Estimated chance"], rows, _split(width, 4)))
        story.append(_p("Chances are estimates from the answers and published figures, not a diagnosis.", _CELL))
    else:
        story.append(_p("No condition in the knowledge pack fits these answers well."))

    story.append(_p("Answers given", _HEAD))
    if report.answers:
        rows = [
            [row.finding.question, row.text, "In their own words" if row.volunteered else "Asked"]
            for row in report.answers
        ]
        story.append(
            _table(["Question", "Answer", "How it was given"], rows, [width * 0.55, width * 0.25, width * 0.2])
        )
    else:
        story.append(_p("No question was answered."))

    footer = f"CareGuide summary \u2013 not a diagnosis. In an emergency call {report.emergency_number}."

    def _foot(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=_foot, onLaterPages=_foot)
    return out.getvalue()


def _split(width: float, n: int) -> list[float]:
    # The condition's clinical name and plain name get the room; code and chance are short.
    return [width * 0.38, width * 0.14, width * 0.3, width * 0.18][:n]
