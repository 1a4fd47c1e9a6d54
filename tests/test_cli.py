"""The `sulh` command, run in-process against the same databases as the API tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine

from sulh.cli import cli
from sulh.config import SETTINGS
from tests.conftest import make_report

Run = Callable[..., Result]
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def run(engine: Engine, tmp_path: Path) -> Run:
    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            cli,
            list(args),
            input=input,
            env={"SULH_DATABASE_URL": url, "SULH_DATA_DIR": str(tmp_path)},
        )

    assert invoke("init").exit_code == 0
    return invoke


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize(
    ("name", "command"), _commands(cli), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_command_has_an_example(name: str, command: click.Command) -> None:
    if isinstance(command, click.Group):
        return
    assert "Example:" in (command.help or ""), name


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.name in readme, setting.name


def test_validate_reports_file_line_and_field(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[1] / "agreements" / "af-pk-2025.yaml"
    good = CliRunner().invoke(cli, ["agreement", "validate", str(shipped)])
    assert good.exit_code == 0 and "af-pk-2025 v1" in good.output and "5 clauses" in good.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        shipped.read_text(encoding="utf-8").replace(
            "reply_window_hours: 72", "reply_window_hours: soon"
        )
    )
    bad = CliRunner().invoke(cli, ["agreement", "validate", str(broken)])
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if "soon" in text)
    assert bad.exit_code == 1
    assert f"{broken}:{line}: reply_window_hours:" in bad.output


def test_users_and_tokens(run: Run) -> None:
    made = run("user", "add", "liaison.af", "--role", "liaison", "--party", "AF")
    assert made.exit_code == 0 and "Password (shown once)" in made.output
    wrong = run("user", "add", "liaison.xx", "--role", "liaison", "--party", "XX")
    assert wrong.exit_code == 1 and "not 'XX'" in wrong.output
    again = run("user", "add", "liaison.af", "--role", "liaison", "--party", "AF")
    assert again.exit_code == 1 and "already exists" in again.output
    token = run("user", "token", "liaison.af")
    assert token.exit_code == 0 and token.output.startswith("sulh_")
    assert "liaison.af\tliaison\tAF" in run("user", "list").output


def test_report_file_and_list(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(make_report()))
    filed = run("report", "file", str(path))
    assert filed.exit_code == 0, filed.output
    assert json.loads(filed.output)["event_type"] == "air_or_drone_strike"
    assert "air_or_drone_strike" in run("report", "list").output
    path.write_text("{not json")
    assert run("report", "file", str(path)).exit_code == 1


def test_import_is_all_or_nothing_with_numbered_lines(run: Run, tmp_path: Path) -> None:
    good = [json.dumps(make_report(text=f"Account number {i}.")) for i in range(3)]
    path = tmp_path / "reports.jsonl"
    path.write_text(
        "\n".join(
            [
                good[0],
                "{broken",
                good[1],
                json.dumps(make_report(event_time="2030-01-01T00:00:00+00:00")),
                json.dumps(make_report(colour="red")),
            ]
        )
        + "\n"
    )
    refused = run("import", str(path))
    assert refused.exit_code == 1
    for number, words in ((2, "not valid JSON"), (4, "in the future"), (5, "colour")):
        assert any(
            f"line {number}" in row or f":{number} " in row and words in row
            for row in refused.output.splitlines()
        ), (number, refused.output)
    assert run("report", "list").output == ""
    path.write_text("\n".join(good) + "\n")
    imported = run("import", str(path))
    assert imported.exit_code == 0 and "Imported 3 reports" in imported.output


def test_case_overdue_lists_nothing_on_a_fresh_record(run: Run) -> None:
    result = run("case", "overdue")
    assert result.exit_code == 0 and result.output == ""
