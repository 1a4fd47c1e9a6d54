"""Entry point and the command groups."""

from __future__ import annotations

import click

from sulh import __version__
from sulh.cli import (
    agreement,
    alerts,
    evidence,
    exports,
    fusion,
    ledger,
    news,
    outputs,
    penalties,
    records,
    server,
    users,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sulh")
def cli() -> None:
    """Sulh: a ceasefire monitoring and verification mechanism.

    \b
    Example:
        sulh init
        sulh user add analyst1 --role analyst
        sulh serve --port 8000
    """


for module in (
    agreement,
    records,
    evidence,
    news,
    fusion,
    penalties,
    outputs,
    exports,
    alerts,
    server,
    users,
    ledger,
):
    module.register(cli)


def main() -> None:
    cli(prog_name="sulh")
