"""What the mechanism publishes: statistics now; situation reports, exports and alerts to come."""

from sulh.outputs.statistics import Comparison, Period, compare_periods, latest_period

__all__ = ["Comparison", "Period", "compare_periods", "latest_period"]
