"""Penalties: the ladder over decided findings, ratification, compliance, commitments,
crossings, tick and the scorecard, driven through the domain functions."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine

from sulh.access import Principal, Role, add_user, principal_of
from sulh.access.keys import add_user_key
from sulh.agreement import (
    Outcome,
    add_agreement_version,
    current_agreement,
    load_agreement,
    parse_agreement,
    shipped_agreement_path,
)
from sulh.cases import (
    AppealCreate,
    AppealDecision,
    FindingCreate,
    IncidentCreate,
    ReplyCreate,
    VoteCreate,
    cast_vote,
    decide_appeal,
    decide_finding,
    draft_finding,
    file_appeal,
    file_reply,
    open_incident,
    transition_case,
)
from sulh.cli.context import SYSTEM
from sulh.errors import AgreementInvalid, Conflict, Forbidden, Invalid, UnknownReference
from sulh.intake import ReportCreate, file_report
from sulh.intake.signatures import Signed
from sulh.ledger.note import Signer
from sulh.penalties import (
    Ticked,
    crossings_now,
    decide_commitment,
    decide_compliance,
    decide_measure,
    lift_measure,
    offer_commitment_evidence,
    offer_evidence,
    scorecard,
    set_crossing_status,
    tally,
    tick,
)
from sulh.store import Store, make_engine
from sulh.store.tables import Appeal, CommitmentState, Finding, LogHead, Measure, MeasureDecision
from tests.conftest import Clock, _truncate, make_report, sign_body

SHIPPED = shipped_agreement_path()
START = datetime(2025, 11, 1, tzinfo=UTC)
END = datetime(2026, 1, 1, tzinfo=UTC)


def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


# People and small steps ---------------------------------------------------------------------


@dataclass
class People:
    analyst: Principal
    monitor: Principal
    qa: Principal
    qa2: Principal
    tr: Principal
    stray: Principal  # a guarantor user who represents no guarantor
    liaison: dict[str, Principal]
    signer: dict[str, Signer] = field(default_factory=dict)


def make_people(store: Store) -> People:
    with store.write(SYSTEM) as writer:

        def user(name: str, role: Role, party: str | None = None) -> Principal:
            return principal_of(add_user(writer=writer, username=name, role=role, party=party))

        people = People(
            analyst=user("analyst", Role.analyst),
            monitor=user("monitor", Role.monitor),
            qa=user("envoy.qa", Role.guarantor, "QA"),
            qa2=user("envoy2.qa", Role.guarantor, "QA"),
            tr=user("envoy.tr", Role.guarantor, "TR"),
            stray=user("envoy.none", Role.guarantor),
            liaison={p: user(f"liaison.{p.lower()}", Role.liaison, p) for p in ("PK", "AF")},
        )
        for party, liaison in people.liaison.items():
            people.signer[party] = Signer.generate(liaison.username)
            add_user_key(
                writer=writer,
                actor=SYSTEM,
                username=liaison.username,
                verifier=people.signer[party].verifier,
            )
    return people


@pytest.fixture
def people(store: Store) -> People:
    return make_people(store)


def other(party: str) -> str:
    return "AF" if party == "PK" else "PK"


def allegation(store: Store, p: People, accused: str, event_type: str = "cross_border_raid") -> int:
    """A complaint by the other party against `accused`, as a triaged case; its id."""
    report = make_report(
        kind="complaint",
        source=None,
        on_behalf_of=other(accused),
        alleged_perpetrator=accused,
        event_type=event_type,
    )
    with store.write(p.analyst) as writer:
        filed = file_report(
            writer=writer,
            actor=p.analyst,
            data=ReportCreate.model_validate(report),
            fuse=False,
        )
        incident = open_incident(
            writer=writer,
            actor=p.analyst,
            data=IncidentCreate(
                report_ids=[filed.id], title=f"Allegation against {accused}", accused_party=accused
            ),
        )
        case_id = incident.case.id
        transition_case(writer=writer, actor=p.analyst, case_id=case_id, to_state="triaged")
    return case_id


def rule(
    store: Store, p: People, case_id: int, outcome: str, party: str, clauses: list[str]
) -> int:
    """Draft a finding on the case, and have two envoys concur and decide it; its id."""
    with store.write(p.analyst) as writer:
        for state in ("inquiry", "draft_finding"):
            transition_case(writer=writer, actor=p.analyst, case_id=case_id, to_state=state)
        finding = draft_finding(
            writer=writer,
            actor=p.analyst,
            case_id=case_id,
            data=FindingCreate(
                outcome=Outcome(outcome),
                clauses=clauses,
                attributed_to=party,
                rationale="Two independent accounts and a site visit agree.",
            ),
        )
        transition_case(writer=writer, actor=p.analyst, case_id=case_id, to_state="review")
    for envoy in (p.qa, p.tr):
        with store.write(envoy) as writer:
            cast_vote(
                writer=writer, actor=envoy, finding_id=finding.id, data=VoteCreate(vote="concur")
            )
    with store.write(p.qa) as writer:
        decide_finding(writer=writer, actor=p.qa, finding_id=finding.id)
    return finding.id


def reply(store: Store, p: People, case_id: int, party: str) -> None:
    body, signature = sign_body(
        p.signer[party], {"text": "Our forces were not there.", "language": "en"}, store.clock()
    )
    liaison = p.liaison[party]
    with store.write(liaison) as writer:
        file_reply(
            writer=writer,
            actor=liaison,
            case_id=case_id,
            data=ReplyCreate.model_validate(body),
            signed=Signed(body, signature),
        )


def appeal_granted(
    store: Store, p: People, finding_id: int, outcome: str, party: str, clauses: list[str]
) -> int:
    """The responsible party appeals; the envoys grant it with a revised finding; its id."""
    with store.read() as session:
        responsible = session.get(Finding, finding_id).responsible_party  # type: ignore[union-attr]
    liaison = p.liaison[responsible]
    with store.write(liaison) as writer:
        appeal = file_appeal(
            writer=writer,
            actor=liaison,
            finding_id=finding_id,
            data=AppealCreate(grounds="The grade is wrong."),
        )
    revised = FindingCreate(
        outcome=Outcome(outcome),
        clauses=clauses,
        attributed_to=party,
        rationale="Revised on appeal.",
    )
    with store.write(p.qa) as writer:
        decided = decide_appeal(
            writer=writer,
            actor=p.qa,
            appeal_id=appeal.id,
            data=AppealDecision(decision="granted", reason="New evidence.", revised=revised),
        )
    assert decided.revised_finding_id is not None
    return decided.revised_finding_id


def decide(store: Store, envoy: Principal, measure_id: int, decision: str = "ratify") -> None:
    with store.write(envoy) as writer:
        decide_measure(
            writer=writer,
            actor=envoy,
            measure_id=measure_id,
            decision=decision,  # type: ignore[arg-type]
            reason=f"{envoy.username}: {decision}, on the finding and the reply.",
        )


def run_tick(store: Store) -> Ticked:
    with store.write(SYSTEM) as writer:
        return tick(writer=writer)


def log_size(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(LogHead.size).where(LogHead.id == 1)) or 0)


class M(NamedTuple):
    id: int
    party: str
    measure: str
    status: str
    compliance: str | None
    findings: list[int]
    escalates: int | None


def measures(store: Store) -> list[M]:
    with store.read() as session:
        return [
            M(
                m.id,
                m.party,
                m.measure,
                m.status,
                m.compliance,
                list(m.findings),
                m.escalates_id,
            )
            for m in session.scalars(select(Measure).order_by(Measure.id))
        ]


def measure_row(store: Store, measure_id: int) -> Measure:
    with store.read() as session:
        row = session.get(Measure, measure_id)
        assert row is not None
        return row


def card(store: Store, party: str) -> dict[str, Any]:
    with store.read() as session:
        _, agreement = current_agreement(session)
        return scorecard(session, agreement, party=party, start=START, end=END)


def assert_card(store: Store, party: str, **expected: Any) -> None:
    got = card(store, party)
    assert {k: got[k] for k in expected} == expected


def points(store: Store, party: str) -> int:
    with store.read() as session:
        _, agreement = current_agreement(session)
        return tally(session, party=party, at=store.clock(), ladder=agreement.penalty_ladder).total


def clock_of(store: Store) -> Clock:
    assert isinstance(store.clock, Clock)
    return store.clock


# 1. A scripted month ------------------------------------------------------------------------


def test_a_scripted_month(store: Store, people: People) -> None:
    p, clock = people, clock_of(store)
    # Day 0: AF alleges a strike by PK; PK replies in time; the finding is serious.
    case_a = allegation(store, p, "PK")
    case_b = allegation(store, p, "AF")
    clock.advance(hours=2)
    reply(store, p, case_a, "PK")
    clock.advance(hours=1)
    f1 = rule(store, p, case_a, "violation_serious", "PK", ["C2", "C4"])
    [m1] = measures(store)
    assert m1[1:] == ("PK", "name-perpetrators", "proposed", None, [f1], None)
    row = measure_row(store, m1.id)
    assert row.points == 3 and row.threshold == 3
    assert row.rule == (
        f"3 points in the 90 days to 2025-11-02 (finding {f1}: 3) "
        "reach the step at 3: name-perpetrators"
    )
    assert_card(
        store,
        "PK",
        complaints_filed=1,
        complaints_faced=1,
        violations_by_grade={"violation_serious": 1},
        violations_by_clause={"C2": 1, "C4": 1},
        replies_due=1,
        replies_in_time=1,
        measures_imposed=0,
    )

    # Day 1: both guarantors ratify; one alone is not enough.
    clock.advance(days=1)
    decide(store, p.qa, m1.id)
    assert measures(store)[0].status == "proposed"
    decide(store, p.tr, m1.id)
    assert measures(store)[0][3:5] == ("ratified", "pending")
    assert measure_row(store, m1.id).deadline == clock.now + timedelta(days=30)

    # Day 3: AF let its reply window pass; a minor finding proposes a recommendation.
    clock.advance(days=2, hours=9)
    f2 = rule(store, p, case_b, "violation_minor", "AF", ["C1"])
    m2 = measures(store)[1]
    assert m2[1:] == ("AF", "recommendation", "proposed", None, [f2], None)
    assert measure_row(store, m2.id).rule == (
        f"1 points in the 90 days to 2025-11-05 (finding {f2}: 1) "
        "reach the step at 1: recommendation"
    )
    assert_card(store, "AF", complaints_filed=1, replies_due=1, replies_in_time=0)

    # Day 4: a crossing closes; AF shows it met its commitment; before the due time, nothing.
    clock.advance(hours=12)
    with store.write(p.monitor) as writer:
        set_crossing_status(
            writer=writer,
            actor=p.monitor,
            crossing="torkham",
            status="closed",
            since=datetime(2025, 10, 12, tzinfo=UTC),
            reason="Closed by Pakistan after the clashes, as both sides said.",
        )
    with store.write(p.liaison["AF"]) as writer:
        offer_commitment_evidence(
            writer=writer,
            actor=p.liaison["AF"],
            commitment_id="af-principals-meeting",
            text="Our delegation is in Istanbul; list of names attached.",
        )
    with store.write(p.qa) as writer:
        decide_commitment(
            writer=writer,
            actor=p.qa,
            commitment_id="af-principals-meeting",
            outcome="met",
            reason="The delegation attended.",
        )
    assert run_tick(store) == Ticked()

    # Day 5: the commitments fall due; PK's goes overdue; a second tick changes nothing.
    clock.advance(days=1)
    assert run_tick(store) == Ticked(overdue_commitments=["pk-principals-meeting"])
    size = log_size(store)
    assert run_tick(store) == Ticked() and log_size(store) == size
    assert_card(store, "PK", commitments=1, commitments_met=0, commitments_not_met=1)
    assert_card(store, "AF", commitments=1, commitments_met=1, commitments_not_met=0)
    with store.read() as session:
        states = {s.commitment: s.status for s in session.scalars(select(CommitmentState))}
    assert states == {"af-principals-meeting": "met", "pk-principals-meeting": "overdue"}

    # The recommendation is ratified: in force, with no deadline.
    decide(store, p.qa, m2.id)
    decide(store, p.tr, m2.id)
    assert measures(store)[1][3:5] == ("ratified", "pending")
    assert measure_row(store, m2.id).deadline is None

    # Monitors are kept out by AF, which replies in time; the finding is serious: 4 points.
    case_c = allegation(store, p, "AF", event_type="access_denial")
    reply(store, p, case_c, "AF")
    f3 = rule(store, p, case_c, "violation_serious", "AF", ["C5"])
    m3 = measures(store)[2]
    assert m3[1:] == ("AF", "name-perpetrators", "proposed", None, [f2, f3], None)
    assert measure_row(store, m3.id).rule == (
        f"4 points in the 90 days to 2025-11-07 (finding {f2}: 1; finding {f3}: 3) "
        "reach the step at 3: name-perpetrators"
    )
    assert points(store, "AF") == 4

    # Day 6: AF appeals; the grade is revised to minor: the proposal goes with the old finding,
    # and 2 points reach the recommendation, already in force, so the next step is proposed.
    clock.advance(days=1)
    f4 = appeal_granted(store, p, f3, "violation_minor", "AF", ["C5"])
    _, _, m3_now, m4 = measures(store)
    assert m3_now == m3._replace(status="withdrawn")
    assert measure_row(store, m3.id).closed_at == clock.now
    assert m4[1:] == ("AF", "name-perpetrators", "proposed", None, [f2, f4], None)
    assert measure_row(store, m4.id).rule == (
        f"2 points in the 90 days to 2025-11-08 (finding {f2}: 1; finding {f4}: 1) "
        "reach the step at 1: recommendation; recommendation is already imposed in the "
        "window, so the next step: name-perpetrators"
    )
    assert points(store, "AF") == 2
    assert_card(
        store,
        "AF",
        complaints_faced=2,
        violations_by_grade={"violation_minor": 2},
        violations_by_clause={"C1": 1, "C5": 1},
        replies_due=2,
        replies_in_time=1,
        access_denials_caused=1,
    )

    # Day 7: PK shows what it did; the guarantors find it complied.
    clock.advance(days=1)
    with store.write(p.liaison["PK"]) as writer:
        offer_evidence(
            writer=writer,
            actor=p.liaison["PK"],
            measure_id=m1.id,
            text="The battery commander was relieved; the inquiry report is attached.",
        )
    with store.write(p.tr) as writer:
        decide_compliance(
            writer=writer,
            actor=p.tr,
            measure_id=m1.id,
            outcome="complied",
            reason="The report names the unit and the action taken.",
        )
    assert measures(store)[0][3:5] == ("ratified", "complied")
    assert measure_row(store, m1.id).closed_at == clock.now
    assert_card(
        store,
        "PK",
        measures_imposed=1,
        measures_complied=1,
        measures_pending=0,
        evidence_offered=1,
    )

    # Day 8: the second demand is ratified; its 30 days start.
    clock.advance(days=1)
    decide(store, p.qa, m4.id)
    decide(store, p.tr, m4.id)
    deadline = measure_row(store, m4.id).deadline
    assert deadline == clock.now + timedelta(days=30)

    # Day 10: the crossing opens to refugees only; the newest status holds.
    clock.advance(days=2)
    with store.write(p.qa) as writer:
        set_crossing_status(
            writer=writer,
            actor=p.qa,
            crossing="torkham",
            status="refugees_only",
            since=clock.now - timedelta(hours=6),
            reason="Reopened for returning refugees; trade stays suspended.",
        )
    with store.read() as session:
        _, agreement = current_agreement(session)
        torkham = next(c for c in crossings_now(session, agreement) if c["id"] == "torkham")
    assert torkham["status"] == "refugees_only"
    assert [h["status"] for h in torkham["history"]] == ["refugees_only", "closed"]
    assert torkham["commitments"] == ["pk-crossings-reopening"]

    # The day before the deadline nothing is due; a day after, the demand is overdue and
    # the ladder climbs past the two measures already imposed.
    clock.now = deadline - timedelta(days=1)
    assert run_tick(store) == Ticked()
    clock.now = deadline + timedelta(days=1)
    ticked = run_tick(store)
    m5 = measures(store)[4]
    assert ticked == Ticked(overdue_measures=[m4.id], escalations=[m5.id])
    assert measures(store)[3].compliance == "overdue"
    assert m5[1:] == ("AF", "public-naming", "proposed", None, [f2, f4], m4.id)
    assert measure_row(store, m5.id).rule == (
        f"measure {m4.id} was not complied with; 4 points in the 90 days to "
        f"{clock.now:%Y-%m-%d} (finding {f2}: 1; finding {f4}: 1; measure {m4.id} not "
        "complied with: 2) reach the step at 3: name-perpetrators; name-perpetrators is "
        "already imposed in the window, so the next step: public-naming"
    )
    size = log_size(store)
    assert run_tick(store) == Ticked() and log_size(store) == size
    assert points(store, "AF") == 4 and points(store, "PK") == 3
    assert_card(
        store,
        "AF",
        measures_imposed=2,
        measures_complied=0,
        measures_not_complied=1,
        measures_pending=1,
        evidence_offered=1,
    )

    # Past the window, the points lapse: a new minor finding proposes only the first step.
    clock.advance(days=91)
    assert points(store, "AF") == 0
    f5 = rule(store, p, allegation(store, p, "AF"), "violation_minor", "AF", ["C1"])
    m6 = measures(store)[5]
    assert m6[1:] == ("AF", "recommendation", "proposed", None, [f5], None)
    assert measure_row(store, m6.id).points == 1


# 2. Properties ------------------------------------------------------------------------------


@pytest.fixture
def fresh(
    store: Store, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], tuple[Store, People]]]:
    """Empty records on the same database as `store`, one per Hypothesis example."""
    engines: list[Engine] = []
    numbers = count()

    def make() -> tuple[Store, People]:
        if store.engine.dialect.name == "sqlite":
            path = tmp_path / f"example-{next(numbers)}.sqlite3"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            engines.append(make_engine(f"sqlite:///{path}"))
            engine = engines[-1]
        else:
            _truncate(store.engine)
            engine = store.engine
        record = Store(engine, clock=Clock())
        with record.write(SYSTEM) as writer:
            add_agreement_version(writer=writer, agreement=load_agreement(SHIPPED))
        return record, make_people(record)

    yield make
    for engine in engines:
        engine.dispose()


@dataclass
class World:
    """What the test itself expects to count: standing findings and missed deadlines."""

    store: Store
    people: People
    findings: dict[int, tuple[str, int, datetime]] = field(default_factory=dict)
    missed: dict[int, tuple[str, list[datetime]]] = field(default_factory=dict)

    def counted(self, party: str, window: int) -> tuple[dict[int, int], int]:
        """The findings (id -> points) and the missed deadlines that count now."""
        now = self.store.clock()
        start = now - timedelta(days=window)
        findings = {
            f: n
            for f, (who, n, at) in self.findings.items()
            if who == party and n > 0 and start < at <= now
        }
        misses = sum(
            1
            for who, times in self.missed.values()
            if who == party and any(start < t <= now for t in times)
        )
        return findings, misses


PARTIES = st.sampled_from(["PK", "AF"])
OUTCOMES = st.sampled_from([str(o) for o in Outcome])
ACTIONS = st.one_of(
    st.tuples(st.just("decide"), PARTIES, OUTCOMES),
    st.tuples(st.just("appeal"), st.integers(0, 9), PARTIES, OUTCOMES),
    st.tuples(st.just("ratify")),
    st.tuples(st.just("lift"), st.integers(0, 9)),
    st.tuples(st.just("not_complied"), st.integers(0, 9)),
    st.tuples(st.just("tick"), st.integers(1, 45)),
)
PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _open_measures(store: Store) -> list[int]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Measure.id)
                .where(Measure.status == "ratified", Measure.compliance.in_(("pending", "overdue")))
                .order_by(Measure.id)
            )
        )


def play(world: World, action: tuple[Any, ...]) -> None:
    """Apply one action to the record, and note in `world` what it should now count."""
    store, p = world.store, world.people
    clock = clock_of(store)
    clock.advance(hours=1)
    with store.read() as session:
        ladder = current_agreement(session)[1].penalty_ladder
    kind = action[0]
    if kind == "decide":
        _, party, outcome = action
        finding = rule(store, p, allegation(store, p, party), outcome, party, ["C1"])
        world.findings[finding] = (party, ladder.points[Outcome(outcome)], clock.now)
    elif kind == "appeal":
        _, index, party, outcome = action
        window = timedelta(days=7)
        open_to_appeal = [f for f, (_, _, at) in world.findings.items() if at + window > clock.now]
        with store.read() as session:
            appealed = set(session.scalars(select(Appeal.finding_id)))
        candidates = [f for f in open_to_appeal if f not in appealed]
        if candidates:
            old = candidates[index % len(candidates)]
            revised = appeal_granted(store, p, old, outcome, party, ["C1"])
            del world.findings[old]
            world.findings[revised] = (party, ladder.points[Outcome(outcome)], clock.now)
    elif kind == "ratify":
        for m in measures(store):
            if m.status == "proposed":
                decide(store, p.qa, m.id)
                decide(store, p.tr, m.id)
    elif kind in ("lift", "not_complied"):
        live = _open_measures(store)
        if live:
            target = live[action[1] % len(live)]
            with store.write(p.qa) as writer:
                if kind == "lift":
                    lift_measure(writer=writer, actor=p.qa, measure_id=target, reason="Lifted.")
                else:
                    decide_compliance(
                        writer=writer,
                        actor=p.qa,
                        measure_id=target,
                        outcome="not_complied",
                        reason="Nothing was done.",
                    )
            if kind == "not_complied":
                party = measure_row(store, target).party
                world.missed.setdefault(target, (party, []))[1].append(clock.now)
    else:
        clock.advance(days=action[1])
        with store.read() as session:
            due = sorted(
                session.scalars(
                    select(Measure.id).where(
                        Measure.status == "ratified",
                        Measure.compliance == "pending",
                        Measure.deadline <= clock.now,
                    )
                )
            )
        ticked = run_tick(store)
        assert ticked.overdue_measures == due
        for measure_id in due:
            party = measure_row(store, measure_id).party
            world.missed.setdefault(measure_id, (party, []))[1].append(clock.now)


@PROPERTY
@given(st.lists(ACTIONS, min_size=1, max_size=7))
def test_a_finding_counts_once(
    fresh: Callable[[], tuple[Store, People]], actions: list[tuple[Any, ...]]
) -> None:
    world = World(*fresh())
    for action in actions:
        play(world, action)
        with world.store.read() as session:
            ladder = current_agreement(session)[1].penalty_ladder
            for party in ("PK", "AF"):
                got = tally(session, party=party, at=world.store.clock(), ladder=ladder)
                findings, misses = world.counted(party, ladder.window_days)
                per_miss = ladder.escalation.missed_deadline_points
                assert got.findings == findings, (action, got.describe())
                assert got.total == sum(findings.values()) + per_miss * misses, got.describe()
        for m in measures(world.store):
            assert len(m.findings) == len(set(m.findings))


@PROPERTY
@given(st.lists(ACTIONS, min_size=1, max_size=7))
def test_no_measure_stands_without_its_cause(
    fresh: Callable[[], tuple[Store, People]], actions: list[tuple[Any, ...]]
) -> None:
    world = World(*fresh())
    for action in actions:
        play(world, action)
        with world.store.read() as session:
            status = {f: s for f, s in session.execute(select(Finding.id, Finding.status))}
            live = session.scalars(
                select(Measure).where(
                    Measure.status.in_(("proposed", "ratified")), Measure.closed_at.is_(None)
                )
            )
            for measure in live:
                causes = {f: status[f] for f in measure.findings}
                assert set(causes.values()) <= {"decided"}, (action, measure.id, causes)


# 3. Bad input -------------------------------------------------------------------------------


def _refused(text: str) -> AgreementInvalid:
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(text, source="af-pk-2025.yaml")
    return caught.value


def test_a_ladder_with_overlapping_thresholds_is_refused() -> None:
    text = shipped_text().replace(
        "{threshold: 6, measure: public-naming}", "{threshold: 3, measure: public-naming}"
    )
    error = _refused(text)
    [problem] = error.details
    assert problem["field"] == "penalty_ladder.steps"
    assert "step thresholds must rise strictly" in problem["message"]
    assert "penalty_ladder.steps" in error.message and "rise strictly" in error.message


def test_a_step_citing_an_unlisted_measure_is_refused() -> None:
    text = shipped_text().replace(
        "{threshold: 15, measure: guarantor-measure}", "{threshold: 15, measure: sanctions}"
    )
    error = _refused(text)
    [problem] = error.details
    assert problem["field"] == "penalty_ladder"
    assert "step measure(s) 'sanctions' are not among the ladder's measures" in problem["message"]
    assert "recommendation, name-perpetrators" in problem["message"]
    assert "'sanctions'" in error.message


def test_an_agreed_commitment_without_a_deadline_is_refused() -> None:
    data = yaml.safe_load(shipped_text())
    meeting = next(c for c in data["commitments"] if c["id"] == "pk-principals-meeting")
    meeting["due"] = None
    error = _refused(yaml.safe_dump(data, allow_unicode=True))
    [problem] = error.details
    assert problem["field"] == "commitments.2"
    assert "commitment 'pk-principals-meeting' is agreed but has no deadline" in problem["message"]


def _proposal(
    store: Store, p: People, party: str = "PK", outcome: str = "violation_serious"
) -> int:
    rule(store, p, allegation(store, p, party), outcome, party, ["C1"])
    return measures(store)[-1].id


def _nothing_written(
    store: Store, error: type[Exception], match: str, act: Callable[[], Any]
) -> None:
    size = log_size(store)
    with pytest.raises(error, match=match):
        act()
    assert log_size(store) == size


def test_ratification_only_by_an_envoy_of_a_guarantor_and_once(
    store: Store, people: People
) -> None:
    p = people
    measure_id = _proposal(store, p)
    _nothing_written(
        store,
        Forbidden,
        "Only guarantors ratify or reject measures",
        lambda: decide(store, p.analyst, measure_id),
    )
    _nothing_written(
        store,
        Forbidden,
        r"envoy.none represents no guarantor of the agreement \(QA, TR\); an admin must say "
        "which one",
        lambda: decide(store, p.stray, measure_id),
    )
    decide(store, p.qa, measure_id)
    _nothing_written(
        store,
        Conflict,
        f"envoy.qa has already decided on measure {measure_id}",
        lambda: decide(store, p.qa, measure_id),
    )
    with store.read() as session:
        decided = list(session.scalars(select(MeasureDecision.member_name)))
    assert decided == ["envoy.qa"]
    assert measures(store)[-1].status == "proposed"


def test_compliance_evidence_only_by_the_party_and_while_open(store: Store, people: People) -> None:
    p = people
    measure_id = _proposal(store, p)
    decide(store, p.qa, measure_id)
    decide(store, p.tr, measure_id)

    def evidence(liaison: Principal) -> None:
        with store.write(liaison) as writer:
            offer_evidence(writer=writer, actor=liaison, measure_id=measure_id, text="Done.")

    _nothing_written(
        store,
        Forbidden,
        f"Only PK's liaison offers evidence on measure {measure_id}",
        lambda: evidence(p.liaison["AF"]),
    )
    evidence(p.liaison["PK"])
    with store.write(p.qa) as writer:
        decide_compliance(
            writer=writer, actor=p.qa, measure_id=measure_id, outcome="complied", reason="Seen."
        )
    _nothing_written(
        store,
        Conflict,
        rf"Measure {measure_id} is closed \(complied\); no more evidence",
        lambda: evidence(p.liaison["PK"]),
    )


def _crossing(store: Store, actor: Principal, **overrides: Any) -> None:
    fields: dict[str, Any] = {
        "crossing": "torkham",
        "status": "open",
        "since": store.clock() - timedelta(hours=1),
        "reason": "Reopened to trade.",
    }
    with store.write(actor) as writer:
        set_crossing_status(writer=writer, actor=actor, **{**fields, **overrides})


def test_crossing_status_refuses_unknown_crossings_statuses_and_the_future(
    store: Store, people: People
) -> None:
    monitor = people.monitor
    _nothing_written(
        store,
        UnknownReference,
        r"'khyber-gate' is not a crossing of the agreement \(torkham, chaman-spin-boldak, "
        r"ghulam-khan, angoor-adda, kharlachi\)",
        lambda: _crossing(store, monitor, crossing="khyber-gate"),
    )
    _nothing_written(
        store,
        UnknownReference,
        "'durand-line' is not a crossing",
        lambda: _crossing(store, monitor, crossing="durand-line"),
    )
    _nothing_written(
        store,
        Invalid,
        "status: one of open, closed, refugees_only, trade_only, not 'half_open'",
        lambda: _crossing(store, monitor, status="half_open"),
    )
    _nothing_written(
        store,
        Invalid,
        "since: a status is recorded once it holds, not in advance",
        lambda: _crossing(store, monitor, since=store.clock() + timedelta(minutes=1)),
    )
    _nothing_written(
        store,
        Forbidden,
        "Role liaison does not record crossings' status",
        lambda: _crossing(store, people.liaison["PK"]),
    )
    _crossing(store, monitor)
    with store.read() as session:
        _, agreement = current_agreement(session)
        now = {c["id"]: c["status"] for c in crossings_now(session, agreement)}
    assert now["torkham"] == "open" and now["kharlachi"] == "not_recorded"


# Ratification rules and tick ----------------------------------------------------------------


def _amend(store: Store, old: str, new: str) -> None:
    text = shipped_text().replace("version: 1", "version: 2", 1).replace(old, new)
    with store.write(SYSTEM) as writer:
        add_agreement_version(writer=writer, agreement=parse_agreement(text))


def _status(store: Store, measure_id: int) -> str:
    return measure_row(store, measure_id).status


def test_one_guarantor_ratifies_alone_and_all_must_reject(store: Store, people: People) -> None:
    p = people
    _amend(store, "ratification: all_guarantors", "ratification: one_guarantor")
    first = _proposal(store, p, "PK")
    decide(store, p.tr, first)
    assert _status(store, first) == "ratified"
    second = _proposal(store, p, "AF")
    decide(store, p.qa, second, "reject")
    assert _status(store, second) == "proposed"
    decide(store, p.qa2, second, "reject")
    assert _status(store, second) == "proposed"  # both QA envoys speak for one guarantor
    decide(store, p.tr, second, "reject")
    assert _status(store, second) == "rejected"
    assert measure_row(store, second).closed_at == store.clock()


def test_all_guarantors_need_each_state_and_one_rejection_ends_it(
    store: Store, people: People
) -> None:
    p = people
    first = _proposal(store, p, "PK")
    decide(store, p.qa, first)
    decide(store, p.qa2, first)
    assert _status(store, first) == "proposed"
    decide(store, p.tr, first)
    assert _status(store, first) == "ratified"
    second = _proposal(store, p, "AF")
    decide(store, p.tr, second, "reject")
    assert _status(store, second) == "rejected"
    assert measure_row(store, second).compliance is None


def test_consensus_needs_every_envoy(store: Store, people: People) -> None:
    p = people
    _amend(store, "ratification: all_guarantors", "ratification: consensus")
    first = _proposal(store, p, "PK")
    decide(store, p.qa, first)
    decide(store, p.tr, first)
    assert _status(store, first) == "proposed"
    decide(store, p.qa2, first)
    assert _status(store, first) == "ratified"
    second = _proposal(store, p, "AF")
    decide(store, p.qa, second)
    decide(store, p.tr, second)
    decide(store, p.qa2, second, "reject")
    assert _status(store, second) == "rejected"


def test_tick_twice_at_the_same_moment_changes_nothing(store: Store, people: People) -> None:
    p, clock = people, clock_of(store)
    measure_id = _proposal(store, p, "PK")
    decide(store, p.qa, measure_id)
    decide(store, p.tr, measure_id)
    clock.advance(days=31)
    first = run_tick(store)
    assert first.overdue_measures == [measure_id] and len(first.escalations) == 1
    assert first.overdue_commitments == ["pk-principals-meeting", "af-principals-meeting"]
    size, before = log_size(store), measures(store)
    assert run_tick(store) == Ticked()
    assert log_size(store) == size and measures(store) == before


def test_an_escalation_climbs_above_its_measure_even_after_points_lapse(
    store: Store, people: People
) -> None:
    p, clock = people, clock_of(store)
    demand = _proposal(store, p)  # 3 points: name-perpetrators, 30 days to comply
    for envoy in (p.qa, p.tr):
        decide(store, envoy, demand)
    clock.advance(days=120)  # the finding's points lapse; the deadline passed long ago
    run_tick(store)
    escalation = measures(store)[-1]
    assert (escalation.escalates, escalation.measure) == (demand, "public-naming")
    assert "at least the next step: public-naming" in measure_row(store, escalation.id).rule
