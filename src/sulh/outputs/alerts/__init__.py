"""Alerts: the agreement's rules raise them from the record, once each, for one tier; they
go out as CAP 1.2 documents, to signed webhooks, and onto each role's pages. Docs:
docs/alerts.md."""

from sulh.outputs.alerts.candidates import tiers_from
from sulh.outputs.alerts.cap import MEDIA_TYPE, cap_alert
from sulh.outputs.alerts.delivery import Delivered, Deliverer, DeliveryPolicy, deliver_once
from sulh.outputs.alerts.raising import clock_step, raise_alerts
from sulh.outputs.alerts.views import AlertPublic, alerts_for_tier, list_alerts, read_alert
from sulh.outputs.alerts.webhooks import (
    SIGNATURE_HEADER,
    WebhookPublic,
    add_webhook,
    list_webhooks,
    remove_webhook,
    sign,
    webhook_public,
)

__all__ = [
    "MEDIA_TYPE",
    "SIGNATURE_HEADER",
    "AlertPublic",
    "Delivered",
    "Deliverer",
    "DeliveryPolicy",
    "WebhookPublic",
    "add_webhook",
    "alerts_for_tier",
    "cap_alert",
    "clock_step",
    "deliver_once",
    "list_alerts",
    "list_webhooks",
    "raise_alerts",
    "read_alert",
    "remove_webhook",
    "sign",
    "tiers_from",
    "webhook_public",
]
