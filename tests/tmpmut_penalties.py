"""Temporary mutation checks (not part of the suite)."""
import pytest
from sqlalchemy import select
import sulh.penalties.points as points
from tests.test_penalties import *  # noqa
from tests.test_penalties import test_a_finding_counts_once as _a, test_no_measure_stands_without_its_cause as _b


def test_mut_no_withdraw(monkeypatch, fresh):
    monkeypatch.setattr("sulh.cases.appeals.withdraw_for", lambda *a, **k: [])
    _b(fresh)


def test_mut_superseded_counts(monkeypatch, fresh):
    orig = points.Finding.status
    real = points.tally
    from sulh.store.tables import Finding
    def bad(session, *, party, at, ladder):
        t = real(session, party=party, at=at, ladder=ladder)
        extra = {f: ladder.points[points.Outcome(o)] for f, o in session.execute(select(Finding.id, Finding.outcome).where(Finding.responsible_party == party, Finding.status == "superseded"))}
        return points.Tally(t.party, t.start, t.end, {**t.findings, **extra}, t.missed)
    monkeypatch.setattr("tests.test_penalties.tally", bad)
    _a(fresh)
