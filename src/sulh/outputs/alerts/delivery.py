"""Delivering alerts to webhooks: signed, at least once, retried with exponential backoff.

Each pass queues the alerts new to each subscription (those of its tier or wider, raised
since it was made), claims the deliveries that are due, POSTs each outside any transaction,
and records the outcome. A failure waits `backoff * 2**(attempts-1)` seconds before the next
try; after `attempts` tries the delivery is marked failed. Nothing is sent anywhere but a
subscription's own URL: no proxy from the environment, no redirect followed.
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, select

from sulh import __version__
from sulh.outputs.alerts.candidates import tiers_from
from sulh.outputs.alerts.views import alert_view
from sulh.outputs.alerts.webhooks import SIGNATURE_HEADER, check_url, sign
from sulh.penalties.tick import SYSTEM
from sulh.periodic import Periodic
from sulh.store.tables import Alert, Webhook, WebhookDelivery
from sulh.store.writer import Store, Writer

log = logging.getLogger("sulh.alerts")
BATCH = 100


@dataclass(frozen=True)
class DeliveryPolicy:
    backoff_seconds: float = 30.0
    attempts: int = 10
    timeout_seconds: float = 10.0
    longest_wait_seconds: float = 6 * 3600

    def wait(self, attempts: int) -> timedelta:
        seconds = self.backoff_seconds * 2 ** (attempts - 1)
        return timedelta(seconds=min(seconds, self.longest_wait_seconds))


@dataclass
class Delivered:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass(frozen=True)
class _Job:
    delivery_id: int
    webhook_id: int
    alert_id: int
    url: str
    secret: str = field(repr=False)
    body: bytes = field(repr=False)


def deliver_once(*, store: Store, policy: DeliveryPolicy) -> Delivered:
    """One pass: queue, claim what is due, send it, record how it went."""
    done = Delivered()
    with store.read() as session:
        if session.scalar(select(Webhook.id).where(Webhook.removed_at.is_(None))) is None:
            return done  # no subscription: no write at all
    for job in _claim(store, policy):
        status, error = _post(job, store.clock(), policy.timeout_seconds)
        _settle(store, job, status, error, policy, done)
    return done


def _claim(store: Store, policy: DeliveryPolicy) -> list[_Job]:
    with store.write(SYSTEM) as writer:
        _queue(writer)
        # Another pass (another process) skips these until this one has had its chance.
        lease = writer.now + timedelta(seconds=policy.timeout_seconds * 2 + 30)
        jobs = []
        for delivery, webhook in _due(writer):
            job = _job(writer, delivery, webhook)
            if job is None:
                delivery.status, delivery.last_error = "failed", "Above the webhook's tier."
            else:
                delivery.next_attempt_at = lease
                jobs.append(job)
        return jobs


def _due(writer: Writer) -> list[tuple[WebhookDelivery, Webhook]]:
    rows = writer.session.execute(
        select(WebhookDelivery, Webhook)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= writer.now,
            Webhook.removed_at.is_(None),
        )
        .order_by(WebhookDelivery.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    return [(delivery, webhook) for delivery, webhook in rows]


def _queue(writer: Writer) -> None:
    """A delivery for each alert new to each subscription: of its tier or wider, raised
    since it was made."""
    hooks = writer.session.scalars(select(Webhook).where(Webhook.removed_at.is_(None)))
    for hook in list(hooks):
        queued = exists().where(
            and_(WebhookDelivery.webhook_id == hook.id, WebhookDelivery.alert_id == Alert.id)
        )
        new = select(Alert.id).where(
            Alert.tier.in_(tiers_from(hook.tier)), Alert.raised_at >= hook.created_at, ~queued
        )
        for alert_id in list(writer.session.scalars(new.order_by(Alert.id))):
            writer.add(
                WebhookDelivery(
                    webhook_id=hook.id,
                    alert_id=alert_id,
                    status="pending",
                    attempts=0,
                    next_attempt_at=writer.now,
                )
            )


def _job(writer: Writer, delivery: WebhookDelivery, webhook: Webhook) -> _Job | None:
    # Read through the subscription's own tier: an alert above it cannot be sent.
    alert = alert_view(writer.session, delivery.alert_id, tiers_from(webhook.tier))
    if alert is None:
        return None
    body = {
        "type": "sulh.alert",
        "delivery": delivery.id,
        "webhook": webhook.id,
        "alert": alert.model_dump(mode="json"),
    }
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _Job(delivery.id, webhook.id, alert.id, webhook.url, webhook.secret, data.encode())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is a failed delivery: Sulh posts only to the URL it was given


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def _post(job: _Job, now: datetime, timeout: float) -> tuple[int | None, str | None]:
    """POST the job; return the HTTP status (None if there was none) and what went wrong."""
    stamp = int(now.timestamp())
    request = urllib.request.Request(
        check_url(job.url),
        data=job.body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": f"Sulh/{__version__}",
            SIGNATURE_HEADER: sign(job.secret, job.body, stamp),
            "Sulh-Delivery": str(job.delivery_id),
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code, f"The receiver answered HTTP {exc.code}."
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"No answer: {reason}"[:500]
    if 200 <= status < 300:
        return status, None
    return status, f"The receiver answered HTTP {status}."


def _settle(
    store: Store,
    job: _Job,
    status: int | None,
    error: str | None,
    policy: DeliveryPolicy,
    done: Delivered,
) -> None:
    with store.write(SYSTEM) as writer:
        row = writer.session.get(WebhookDelivery, job.delivery_id)
        assert row is not None
        row.attempts += 1
        row.last_attempt_at, row.last_status, row.last_error = writer.now, status, error
        if error is None:
            row.status, row.delivered_at = "delivered", writer.now
            done.delivered += 1
        elif row.attempts >= policy.attempts:
            row.status = "failed"
            done.failed += 1
        else:
            row.next_attempt_at = writer.now + policy.wait(row.attempts)
            done.retrying += 1
    if error is not None:
        # The webhook's number only: its URL may carry a token of its own.
        log.warning("Webhook %s, alert %s: %s", job.webhook_id, job.alert_id, error)


class Deliverer(Periodic):
    """Runs `deliver_once` every `interval` seconds while the server is up."""

    name = "sulh-webhooks"

    def __init__(self, store: Store, policy: DeliveryPolicy, *, interval: float) -> None:
        super().__init__(interval=interval)
        self.store, self.policy = store, policy

    def run_once(self) -> None:
        deliver_once(store=self.store, policy=self.policy)
