"""Intake: reports from every channel, checked, logged and never edited."""

from sulh.intake.reports import file_report, import_reports
from sulh.intake.schema import Casualty, Place, ReportCreate

__all__ = ["Casualty", "Place", "ReportCreate", "file_report", "import_reports"]
