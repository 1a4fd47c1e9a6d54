"""Proposing measures by the ladder, and taking them back when their cause falls away."""

from __future__ import annotations

from sqlalchemy import select

from sulh.agreement import parsed
from sulh.agreement.model import LadderStep, PenaltyLadder
from sulh.penalties.points import Tally, tally
from sulh.store.tables import ComplianceEvent, Finding, Measure
from sulh.store.writer import Writer

LIVE = ("proposed", "ratified")
OPEN_COMPLIANCE = (None, "pending", "overdue")


def _step(ladder: PenaltyLadder, points: int) -> int | None:
    reached = [i for i, step in enumerate(ladder.steps) if step.threshold <= points]
    return reached[-1] if reached else None


def _live_measures(writer: Writer, count: Tally) -> list[Measure]:
    return list(
        writer.session.scalars(
            select(Measure).where(
                Measure.party == count.party,
                Measure.status.in_(LIVE),
                Measure.proposed_at > count.start,
            )
        )
    )


def _choose(ladder: PenaltyLadder, index: int, live: list[Measure]) -> tuple[LadderStep, str]:
    """The step to impose, and why, when `index` is the step the points reach."""
    imposed = {m.measure for m in live}
    step = ladder.steps[index]
    if step.measure not in imposed or ladder.escalation.repeat == "same_step":
        return step, ""
    for higher in ladder.steps[index + 1 :]:
        if higher.measure not in imposed:
            return higher, (
                f"; {step.measure} is already imposed in the window, so the next step: "
                f"{higher.measure}"
            )
    top = ladder.steps[-1]
    return top, f"; every step up to {top.measure} is already imposed, so the top step again"


def _above(
    ladder: PenaltyLadder, escalates: Measure, step: LadderStep, why: str
) -> tuple[LadderStep, str]:
    """An escalation climbs above the measure it escalates, even when older points lapsed."""
    floor = next(
        (i for i, s in enumerate(ladder.steps) if s.threshold > escalates.threshold),
        len(ladder.steps) - 1,
    )
    if ladder.steps.index(step) >= floor:
        return step, why
    higher = ladder.steps[floor]
    return (
        higher,
        f"; an escalation of {escalates.measure} is at least the next step: {higher.measure}",
    )


def propose(writer: Writer, *, party: str, escalates: Measure | None = None) -> Measure | None:
    """Propose the measure `party`'s points now call for, if any and not already pending."""
    # Count from the record as changed so far: a measure just withdrawn is no longer imposed.
    writer.session.flush()
    ladder = parsed(writer.agreement).penalty_ladder
    count = tally(writer.session, party=party, at=writer.now, ladder=ladder)
    index = _step(ladder, count.total)
    if index is None:
        return None
    live = _live_measures(writer, count)
    step, why = _choose(ladder, index, live)
    reached = ladder.steps[index]
    if escalates is not None:
        step, why = _above(ladder, escalates, step, why)
    if any(m.measure == step.measure and m.status == "proposed" for m in live):
        return None  # the same proposal already awaits the guarantors
    measure = ladder.measure(step.measure)
    rule = (
        f"{count.total} points in the {ladder.window_days} days to {writer.now:%Y-%m-%d} "
        f"({count.describe()}) reach the step at {reached.threshold}: {reached.measure}{why}"
    )
    if escalates is not None:
        rule = f"measure {escalates.id} was not complied with; {rule}"
    row = Measure(
        party=party,
        measure=step.measure,
        threshold=step.threshold,
        text=measure.text,
        rule=rule,
        points=count.total,
        findings=sorted(count.findings),
        escalates_id=escalates.id if escalates is not None else None,
        status="proposed",
        compliance=None,
        proposed_at=writer.now,
        agreement_version_id=writer.agreement.id,
    )
    writer.add(row)
    writer.record("measure.proposed", row)
    return row


def after_decision(writer: Writer, finding: Finding) -> Measure | None:
    """A finding was decided (or revised on appeal): propose what the ladder now calls for."""
    if finding.responsible_party is None:
        return None
    return propose(writer, party=finding.responsible_party)


def withdraw_for(writer: Writer, finding: Finding, reason: str) -> list[Measure]:
    """A finding no longer stands: measures that counted it are withdrawn (if only proposed)
    or lifted (if in force), so that no measure stands without its cause."""
    touched = []
    for measure in writer.session.scalars(
        select(Measure).where(Measure.status.in_(LIVE), Measure.closed_at.is_(None))
    ):
        if finding.id not in measure.findings:
            continue
        if measure.status == "proposed":
            measure.status = "withdrawn"
        else:
            measure.compliance = "lifted"
            event = ComplianceEvent(
                measure_id=measure.id,
                kind="lifted",
                outcome="lifted",
                party=measure.party,
                text=reason,
                at=writer.now,
            )
            writer.add(event)
            writer.record("measure.compliance", event)
        measure.closed_at = writer.now
        writer.record("measure.withdrawn", measure)
        touched.append(measure)
    return touched
