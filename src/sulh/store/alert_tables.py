"""The tables of alerts and their delivery to webhooks (src/sulh/outputs/alerts/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sulh.store.tables import Base


class Alert(Base):
    """An alert raised by one of the agreement's rules about one subject, once: its `key`
    (rule and subject) is unique. Its words hold only what its tier may read."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_tier_id", "tier", "id"),)
    __immutable__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    rule: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(100))  # zone:torkham, finding:12, case:3…
    tier: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    event: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    urgency: Mapped[str] = mapped_column(String(16))
    certainty: Mapped[str] = mapped_column(String(16))
    area: Mapped[dict[str, Any] | None]  # {"desc": …, "circles": [[lat, lon, km], …]}
    raised_at: Mapped[datetime] = mapped_column(index=True)
    agreement_version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))


class Webhook(Base):
    """A subscription: alerts of `tier` and wider are POSTed to `url`, signed with `secret`.
    Removing one stamps `removed_at`; the row stays, like every logged row."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    removed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        # Never the secret, nor the URL, which may carry a token of its own.
        return f"Webhook(id={self.id}, tier={self.tier!r})"


class WebhookDelivery(Base):
    """One alert on its way to one webhook: attempts made, the last outcome, the next try.
    Work to do rather than record, like the fusion queue: not logged."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "alert_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )
    __logged__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"))
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    status: Mapped[str] = mapped_column(String(16))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)  # the HTTP status, if any
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]
