"""Sulh: software for a ceasefire monitoring and verification mechanism."""

__version__ = "0.1.0"
