"""JSON API under /api/v1."""

from fastapi import APIRouter

from sulh.web.api import findings, fusion, incidents, log, reports, system, users
from sulh.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
for module in (system, reports, incidents, fusion, findings, users, log):
    router.include_router(module.router)

__all__ = ["router"]
