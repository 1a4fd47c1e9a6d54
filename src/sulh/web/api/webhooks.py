"""Webhook subscriptions (admins only): alerts of a tier and wider, POSTed and signed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from sulh.outputs.alerts import (
    WebhookPublic,
    add_webhook,
    list_webhooks,
    remove_webhook,
    webhook_public,
)
from sulh.web.deps import ReaderDep, StoreDep

router = APIRouter(tags=["alerts"])
Id = Annotated[int, Path(ge=1)]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000, description="An http:// or https:// address.")
    secret: SecretStr = Field(
        description="16 to 200 characters, kept by both sides; signs every delivery. Never "
        "shown again."
    )
    tier: str = Field(
        description="internal, joint, parties or public: alerts of this tier and wider are sent."
    )


@router.get("/webhooks", response_model=list[WebhookPublic])
def get_webhooks(store: StoreDep, reader: ReaderDep) -> list[WebhookPublic]:
    """Every subscription, newest first, with its deliveries so far (never its secret)."""
    with store.read() as session:
        return list_webhooks(session, reader)


@router.post("/webhooks", response_model=WebhookPublic, status_code=201)
def post_webhook(body: WebhookCreate, store: StoreDep, reader: ReaderDep) -> WebhookPublic:
    """Subscribe a URL to the alerts raised from now on; see docs/alerts.md for the
    signature to check."""
    with store.write(reader) as writer:
        row = add_webhook(
            writer=writer,
            actor=reader,
            url=body.url,
            secret=body.secret.get_secret_value(),
            tier=body.tier,
        )
    with store.read() as session:
        return webhook_public(session, row)


@router.delete("/webhooks/{webhook_id}", response_model=WebhookPublic)
def delete_webhook(webhook_id: Id, store: StoreDep, reader: ReaderDep) -> WebhookPublic:
    """End a subscription: nothing more is sent to it. The record keeps that it existed."""
    with store.write(reader) as writer:
        row = remove_webhook(writer=writer, actor=reader, webhook_id=webhook_id)
    with store.read() as session:
        return webhook_public(session, row)
