"""What the mechanism publishes: statistics, situation reports (sitrep*.py), exports of
incidents (exports.py) and alerts (alerts/), each read at a tier and cut from the log
(cut.py). See docs/outputs.md, docs/exports.md and docs/alerts.md."""

from sulh.outputs.cut import Cut, cut_from
from sulh.outputs.exports import export_incidents
from sulh.outputs.sitreps import Schedule, make_sitrep
from sulh.outputs.statistics import Comparison, Period, compare_periods, latest_period

__all__ = [
    "Comparison",
    "Cut",
    "Period",
    "Schedule",
    "compare_periods",
    "cut_from",
    "export_incidents",
    "latest_period",
    "make_sitrep",
]
