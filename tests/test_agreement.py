"""Agreement files: validation with file, line and field; versions; the shipped agreement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sulh.agreement import (
    add_agreement_version,
    load_agreement,
    parse_agreement,
    shipped_agreement_path,
)
from sulh.cli.context import SYSTEM
from sulh.errors import AgreementInvalid, Conflict
from sulh.store import Store
from sulh.store.tables import Report
from tests.conftest import make_report

SHIPPED = shipped_agreement_path()


def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def test_shipped_agreement_holds_the_doha_terms() -> None:
    agreement = load_agreement(SHIPPED)
    assert agreement.party_ids() == ["PK", "AF"]
    assert [g.id for g in agreement.guarantors] == ["QA", "TR"]
    crossings = {z.id for z in agreement.zones if z.kind == "crossing"}
    assert crossings == {"torkham", "chaman-spin-boldak", "ghulam-khan", "angoor-adda", "kharlachi"}
    assert agreement.penalty_ladder.status == "proposal"
    for actor in ("ttp", "hafiz-gul-bahadur", "iskp", "unama"):
        assert agreement.answerable_party(actor) is None, actor
    assert agreement.answerable_party("pk-air-force") == "PK"
    airspace = [c for c in agreement.clauses if c.category == "airspace"]
    assert airspace and airspace[0].binds == ["PK"]


def test_shipped_actors_cover_the_names_in_the_seed_articles() -> None:
    """Every actor named in the articles resolves to an agreement actor by name or alias."""
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    agreement = load_agreement(SHIPPED)
    names = {n.lower() for a in agreement.actors for n in (a.name, *a.aliases)}
    for person in (
        "Zabihullah Mujahid",
        "Khawaja Asif",
        "Ataullah Tarar",
        "Asim Munir",
        "Abdul Haq Wasiq",
        "Asim Malik",
        "Noor Wali Mehsud",
    ):
        assert person in text and any(person.lower() in n for n in names), person
    for group in ("TTP", "Gul Bahadur", "Islamic State"):
        assert group in text and any(group.lower() in n for n in names), group


def _problems(text: str) -> list[dict[str, object]]:
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(text, source="test.yaml")
    details = caught.value.details
    assert isinstance(details, list)
    return details


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_unknown_party_in_a_clause_names_file_line_and_field() -> None:
    text = shipped_text().replace("binds: [PK]", "binds: [XX]", 1)
    (problem,) = _problems(text)
    assert problem["file"] == "test.yaml"
    assert problem["line"] == _line_of(text, "binds: [XX]")
    assert str(problem["field"]).startswith("clauses.") and "XX" in str(problem["message"])


def test_unknown_field_and_bad_value_are_both_reported() -> None:
    text = shipped_text().replace("reply_window_hours: 72", "reply_window_hours: -1\ncolour: red")
    problems = _problems(text)
    fields = {p["field"]: p["line"] for p in problems}
    assert fields["reply_window_hours"] == _line_of(text, "reply_window_hours: -1")
    assert fields["colour"] == _line_of(text, "colour: red")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: a\nid: b\n", "duplicate key"),
        ("id: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("? [a, b]\n: 1\n", "plain values"),
    ],
)
def test_malformed_yaml_is_refused(text: str, expected: str) -> None:
    assert expected in _problems(text)[0]["message"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_loads_or_fails_cleanly(text: str) -> None:
    try:
        parse_agreement(text)
    except AgreementInvalid as exc:
        assert exc.details and all("line" in d for d in exc.details)


def test_same_version_with_other_content_is_refused(store: Store) -> None:
    changed = yaml.safe_load(
        shipped_text().replace("reply_window_hours: 72", "reply_window_hours: 48")
    )
    agreement = parse_agreement(yaml.safe_dump(changed))
    with pytest.raises(Conflict, match="new version number"), store.write(SYSTEM) as writer:
        add_agreement_version(writer=writer, agreement=agreement)


def test_amendment_is_a_new_version_and_records_point_to_the_one_in_force(store: Store) -> None:
    from sulh.intake import ReportCreate, file_report
    from tests.conftest import Clock

    assert isinstance(store.clock, Clock)
    with store.write(SYSTEM) as writer:
        row, created = add_agreement_version(writer=writer, agreement=load_agreement(SHIPPED))
    assert not created and row.version == 1
    analyst = _analyst(store)
    with store.write(analyst) as writer:
        before = file_report(
            writer=writer, actor=analyst, data=ReportCreate.model_validate(make_report())
        )
    amended = parse_agreement(
        shipped_text()
        .replace("version: 1", "version: 2", 1)
        .replace("reply_window_hours: 72", "reply_window_hours: 48")
    )
    with store.write(SYSTEM) as writer:
        v2, created = add_agreement_version(writer=writer, agreement=amended)
    assert created and v2.version == 2
    with store.write(analyst) as writer:
        after = file_report(
            writer=writer, actor=analyst, data=ReportCreate.model_validate(make_report())
        )
    with store.read() as session:
        versions = [session.get(Report, r.id).agreement_version_id for r in (before, after)]  # type: ignore[union-attr]
    assert versions == [1, v2.id]
    older = parse_agreement(shipped_text())
    with pytest.raises(Conflict), store.write(SYSTEM) as writer:
        add_agreement_version(writer=writer, agreement=older.model_copy(update={"id": "other"}))


def _analyst(store: Store):  # type: ignore[no-untyped-def]
    from sulh.access import Role, add_user, principal_of

    with store.write(SYSTEM) as writer:
        return principal_of(add_user(writer=writer, username="an1", role=Role.analyst))


def test_the_example_in_the_format_docs_is_valid() -> None:
    import re

    docs = (Path(__file__).resolve().parents[1] / "docs" / "agreement.md").read_text(
        encoding="utf-8"
    )
    section = docs[docs.index("## A complete example") :]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match is not None
    assert parse_agreement(match.group(1)).id == "vlm-ksr-example"
