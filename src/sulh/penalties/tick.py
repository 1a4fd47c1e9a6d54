"""Time moves the record: deadlines pass, measures go overdue and climb the ladder.
Running it twice at the same moment changes nothing the second time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.penalties.compliance import commitment_state, commitment_status
from sulh.penalties.proposals import propose
from sulh.periodic import Periodic
from sulh.store.tables import ComplianceEvent, Measure
from sulh.store.writer import Store, Writer


@dataclass
class Ticked:
    overdue_measures: list[int] = field(default_factory=list)
    escalations: list[int] = field(default_factory=list)
    overdue_commitments: list[str] = field(default_factory=list)


def tick(*, writer: Writer) -> Ticked:
    """Mark what is overdue at `writer.now`, and propose the escalations it calls for."""
    done = Ticked()
    late = writer.session.scalars(
        select(Measure)
        .where(
            Measure.status == "ratified",
            Measure.compliance == "pending",
            Measure.deadline.is_not(None),
            Measure.deadline <= writer.now,
        )
        .order_by(Measure.id)
    )
    for measure in list(late):
        measure.compliance = "overdue"
        writer.record("measure.overdue", measure)
        event = ComplianceEvent(
            measure_id=measure.id,
            kind="overdue",
            outcome="overdue",
            party=measure.party,
            text=f"The deadline of {measure.deadline:%Y-%m-%d %H:%M} UTC passed.",
            at=writer.now,
        )
        writer.add(event)
        writer.record("compliance.event", event)
        done.overdue_measures.append(measure.id)
        writer.session.flush()
        if (proposed := propose(writer, party=measure.party, escalates=measure)) is not None:
            done.escalations.append(proposed.id)
    for commitment in parsed(writer.agreement).commitments:
        if commitment.status != "agreed" or commitment.due is None or commitment.due > writer.now:
            continue
        if commitment_status(writer, commitment) == "pending":
            state = commitment_state(writer, commitment)
            state.status, state.updated_at = "overdue", writer.now
            writer.record("commitment.overdue", state)
            done.overdue_commitments.append(commitment.id)
    return done


SYSTEM = Principal(user_id=None, username="system", role=Role.admin)


class Ticker(Periodic):
    """Runs `step` (`tick`, unless told otherwise) in one write every `interval` seconds
    while the server is up."""

    name = "sulh-tick"

    def __init__(
        self, store: Store, *, interval: float = 60.0, step: Callable[..., object] = tick
    ) -> None:
        super().__init__(interval=interval)
        self.store = store
        self.step = step

    def run_once(self) -> None:
        with self.store.write(SYSTEM) as writer:
            self.step(writer=writer)
