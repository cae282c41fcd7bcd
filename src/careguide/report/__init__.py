"""A finished quiz as a report for a health professional: a PDF summary and a FHIR R4 Bundle.

Both are built from one :class:`Report`, made from the engine's input (a :class:`~careguide.engine.Case`) and
output (a :class:`~careguide.engine.Step`), so the site, the API and the tests all describe a quiz alike.
"""

from careguide.report.content import AnswerRow, Report, build_report
from careguide.report.fhir import fhir_bundle
from careguide.report.pdf import report_pdf

__all__ = ["AnswerRow", "Report", "build_report", "fhir_bundle", "report_pdf"]
