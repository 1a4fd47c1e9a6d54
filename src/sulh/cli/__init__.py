"""The `sulh` command: a thin adapter over the domain functions."""

from sulh.cli.main import cli, main

__all__ = ["cli", "main"]
