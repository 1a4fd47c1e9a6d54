"""JSON API under /api/v1."""

from fastapi import APIRouter

from sulh.config import Settings
from sulh.web.api import (
    alerts,
    evidence,
    exports,
    findings,
    fusion,
    incidents,
    log,
    penalties,
    reports,
    statistics,
    system,
    users,
    webhooks,
)
from sulh.web.errors import ERROR_RESPONSES

PREFIX = "/api/v1"
router = APIRouter(prefix=PREFIX, responses=ERROR_RESPONSES)
for module in (system, reports, evidence, incidents, fusion, findings, penalties, users, log):
    router.include_router(module.router)
router.include_router(statistics.router)
router.include_router(exports.router)
router.include_router(alerts.router)
router.include_router(webhooks.router)


def body_limits(settings: Settings) -> dict[str, int]:
    """Paths whose bodies may exceed SULH_MAX_BODY_BYTES: an upload carries up to
    SULH_MAX_EVIDENCE_BYTES of files, plus the ordinary allowance for the form around them."""
    upload = settings.max_evidence_bytes + settings.max_body_bytes
    return {PREFIX + evidence.UPLOAD: upload, PREFIX + evidence.RAW: settings.max_evidence_bytes}


__all__ = ["body_limits", "router"]
