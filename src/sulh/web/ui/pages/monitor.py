"""A field monitor: observations and access denials, kept in the browser while offline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from sulh.access.roles import Role
from sulh.web.ui.access import require
from sulh.web.ui.forms import Form, read_form
from sulh.web.ui.pages.filing import file_from_form, report_page, wants_json
from sulh.web.ui.render import redirect
from sulh.web.ui.sessions import VisitDep

router = APIRouter()


def _observation_page(
    request: Request, visit: VisitDep, form: Form, status: int = 200
) -> HTMLResponse:
    return report_page(request, visit, "monitor.html", form, active="monitor", status=status)


@router.get("/monitor", response_class=HTMLResponse)
def observation_form(request: Request, visit: VisitDep) -> HTMLResponse:
    require(visit, Role.monitor)
    form = Form()
    if request.query_params.get("type") == "access_denial":
        form.values["event_type"] = "access_denial"
    return _observation_page(request, visit, form)


@router.post("/monitor/observations", response_model=None)
async def post_observation(request: Request, visit: VisitDep) -> Response:
    """File an observation: from the form, or from the browser's queue of offline ones."""
    require(visit, Role.monitor)
    form = await read_form(request, visit)
    filed = file_from_form(request, visit, form, "observation", must_sign=True)
    if wants_json(request):
        if filed is None:
            return JSONResponse({"problem": form.problem, "errors": form.errors}, status_code=422)
        return JSONResponse({"report_id": filed[0], "log_index": filed[1]}, status_code=201)
    if filed is None:
        return _observation_page(request, visit, form, status=422)
    return redirect(request, "/monitor", "filed", id=filed[0], index=filed[1])


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> FileResponse:
    """The service worker lives at the root so that it may serve the monitor's pages offline."""
    from sulh.web.ui import STATIC

    return FileResponse(
        f"{STATIC}/js/sw.js",
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"},
    )
