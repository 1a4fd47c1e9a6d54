"""Webhook subscriptions: an admin names a URL, a shared secret and a tier; alerts of that
tier and wider are POSTed there, signed. The secret is never shown back, nor logged in clear."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role
from sulh.errors import Conflict, Forbidden, Invalid, NotFound
from sulh.outputs.alerts.candidates import tiers_from
from sulh.store.tables import Webhook, WebhookDelivery
from sulh.store.writer import Writer

SIGNATURE_HEADER = "Sulh-Webhook-Signature"
MIN_SECRET = 16
MAX_URL = 2000


class WebhookPublic(BaseModel):
    """A subscription as its admin sees it: never its secret."""

    id: int
    url: str
    tier: str
    created_at: datetime
    removed_at: datetime | None
    deliveries: dict[str, int] = Field(description="How many are pending, delivered, failed.")
    last_attempt_at: datetime | None
    last_error: str | None = Field(description="What went wrong on the last failed attempt.")


def _require_admin(actor: Principal) -> None:
    if actor.role is not Role.admin:
        raise Forbidden("Only admins manage webhooks.")


def check_url(url: str) -> str:
    """Refuse anything but an http(s) address with a host: Sulh sends only where told."""
    url = url.strip()
    if not url or len(url) > MAX_URL or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise Invalid(f"url: give one http:// or https:// address of at most {MAX_URL} characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise Invalid("url: this is not a valid web address.") from None
    if parts.scheme not in ("http", "https"):
        scheme = f"{parts.scheme}:" if parts.scheme else "an address without a scheme"
        raise Invalid(f"url: webhooks are delivered over http or https, not to {scheme}.")
    if not parts.hostname:
        raise Invalid("url: name the host to deliver to, e.g. https://alerts.example.org/sulh.")
    return url


def add_webhook(*, writer: Writer, actor: Principal, url: str, secret: str, tier: str) -> Webhook:
    """Subscribe `url` to alerts of `tier` and wider, from now on."""
    _require_admin(actor)
    tiers_from(tier)  # refuses an unknown tier, naming the four
    url = check_url(url)
    if len(secret) < MIN_SECRET or len(secret) > 200:
        raise Invalid(
            f"secret: give {MIN_SECRET} to 200 characters (a random string that both sides "
            "keep), used to sign every delivery."
        )
    row = Webhook(
        url=url, secret=secret, tier=tier, created_by=actor.user_id, created_at=writer.now
    )
    writer.add(row)
    writer.record("webhook.added", row)
    return row


def remove_webhook(*, writer: Writer, actor: Principal, webhook_id: int) -> Webhook:
    """End a subscription; what was not yet delivered is not sent."""
    _require_admin(actor)
    row = writer.session.get(Webhook, webhook_id)
    if row is None:
        raise NotFound(f"Webhook {webhook_id} does not exist.")
    if row.removed_at is not None:
        raise Conflict(f"Webhook {webhook_id} was already removed on {row.removed_at:%Y-%m-%d}.")
    row.removed_at, row.removed_by = writer.now, actor.user_id
    writer.record("webhook.removed", row)
    return row


def list_webhooks(session: Session, reader: Principal) -> list[WebhookPublic]:
    _require_admin(reader)
    counts: dict[int, dict[str, int]] = {}
    for webhook_id, status, number in session.execute(
        select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.webhook_id, WebhookDelivery.status
        )
    ):
        counts.setdefault(webhook_id, {})[status] = number
    return [
        _public(session, row, counts.get(row.id, {}))
        for row in session.scalars(select(Webhook).order_by(Webhook.id.desc()))
    ]


def webhook_public(session: Session, row: Webhook) -> WebhookPublic:
    rows = session.execute(
        select(WebhookDelivery.status, func.count())
        .where(WebhookDelivery.webhook_id == row.id)
        .group_by(WebhookDelivery.status)
    )
    return _public(session, row, {status: number for status, number in rows})


def _public(session: Session, row: Webhook, counts: dict[str, int]) -> WebhookPublic:
    last = session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == row.id, WebhookDelivery.last_attempt_at.is_not(None))
        .order_by(WebhookDelivery.last_attempt_at.desc())
        .limit(1)
    ).first()
    return WebhookPublic(
        id=row.id,
        url=row.url,
        tier=row.tier,
        created_at=row.created_at,
        removed_at=row.removed_at,
        deliveries={s: counts.get(s, 0) for s in ("pending", "delivered", "failed")},
        last_attempt_at=last.last_attempt_at if last else None,
        last_error=last.last_error if last else None,
    )


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value: t=<unix time>,v1=<hex HMAC-SHA256 of "t." + body>."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
