"""The tables of penalties, commitments and crossings (src/sulh/penalties/, docs/penalties.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sulh.store.tables import Base


class Measure(Base):
    """A measure of the penalty ladder against a party: proposed, then ratified or rejected
    by the guarantors; once ratified, complied with or not by its deadline."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    party: Mapped[str] = mapped_column(String(64), index=True)
    measure: Mapped[str] = mapped_column(String(64))  # the ladder's measure id
    threshold: Mapped[int]  # the step that fired
    text: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(Text)  # why, in words: points, window, repeat
    points: Mapped[int]
    findings: Mapped[list[Any]]  # the finding ids counted
    escalates_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"))
    status: Mapped[str] = mapped_column(String(16))  # proposed, ratified, rejected, withdrawn
    compliance: Mapped[str | None] = mapped_column(String(16))
    proposed_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    deadline: Mapped[datetime | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    agreement_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))


class MeasureDecision(Base):
    """One guarantor's ratification or rejection of a proposed measure, with its reason."""

    __tablename__ = "measure_decisions"
    __table_args__ = (UniqueConstraint("measure_id", "member_id"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    member_name: Mapped[str] = mapped_column(String(64))
    guarantor: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))  # ratify or reject
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]


class ComplianceEvent(Base):
    """Evidence offered, a decision on it, a deadline passed, a lifting: for a measure or an
    agreed commitment."""

    __tablename__ = "compliance_events"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"), index=True)
    commitment: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # evidence, decision, overdue, lifted
    outcome: Mapped[str | None] = mapped_column(String(16))
    party: Mapped[str | None] = mapped_column(String(64))
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class CommitmentState(Base):
    """Where an agreed commitment stands: pending, met, not_met or overdue."""

    __tablename__ = "commitment_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment: Mapped[str] = mapped_column(String(64), unique=True)
    party: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class CrossingStatus(Base):
    """A crossing's status from a moment on: who set it, when and why. The newest holds."""

    __tablename__ = "crossing_statuses"
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    crossing: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))  # open, closed, refugees_only, trade_only
    since: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    by_user: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]
