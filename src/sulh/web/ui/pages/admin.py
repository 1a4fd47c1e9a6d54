"""The operator: users and roles, signing keys, agreement versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from sulh.access import Role, add_user, new_password
from sulh.access.keys import add_user_key, revoke_key
from sulh.agreement import add_agreement_version, parse_agreement
from sulh.errors import SulhError
from sulh.ledger.note import Verifier
from sulh.store import queries
from sulh.store.tables import Key
from sulh.web.deps import get_store
from sulh.web.ui.access import require
from sulh.web.ui.forms import Form, read_form, refused
from sulh.web.ui.render import page, redirect
from sulh.web.ui.sessions import Visit, VisitDep

router = APIRouter()
ROLES = [r for r in Role if r is not Role.public]
MAX_AGREEMENT_BYTES = 1_000_000


def _admin_page(
    request: Request, visit: Visit, form: Form, status: int = 200, **extra: object
) -> HTMLResponse:
    with get_store(request).read() as session:
        users = queries.list_users(session, limit=500).items
        keys = list(session.scalars(select(Key).order_by(Key.id)))
        versions = queries.list_agreement_versions(session, limit=50).items
    extra.setdefault("created", None)
    return page(
        request,
        visit,
        "admin.html",
        status=status,
        active="admin",
        form=form,
        users=users,
        keys=keys,
        versions=versions,
        roles=[(str(r), str(r)) for r in ROLES],
        **extra,
    )


@router.get("/admin", response_class=HTMLResponse)
def administration(request: Request, visit: VisitDep) -> HTMLResponse:
    require(visit, Role.admin)
    return _admin_page(request, visit, Form())


@router.post("/admin/users", response_model=None)
async def post_user(request: Request, visit: VisitDep) -> Response:
    require(visit, Role.admin)
    form = await read_form(request, visit)
    password = new_password()
    try:
        role = Role(form.get("role"))
        with get_store(request).write(visit.principal) as writer:
            add_user(
                writer=writer,
                username=form.get("username"),
                role=role,
                party=form.get("party") or None,
                display_name=form.get("display_name") or None,
                password=password,
            )
    except ValueError:
        form.fail("role", visit.speaker.gettext("Choose one of the options."))
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if not form.ok:
        return _admin_page(request, visit, form, status=422)
    # The password is shown once, on this page, and never put in a link.
    return _admin_page(request, visit, Form(), created=(form.get("username"), password))


@router.post("/admin/keys", response_model=None)
async def post_key(request: Request, visit: VisitDep) -> Response:
    require(visit, Role.admin)
    form = await read_form(request, visit)
    try:
        verifier = Verifier.parse(form.get("verifier"))
        with get_store(request).write(visit.principal) as writer:
            add_user_key(
                writer=writer,
                actor=visit.principal,
                username=form.get("key_user"),
                verifier=verifier,
            )
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if not form.ok:
        return _admin_page(request, visit, form, status=422)
    return redirect(request, "/admin", "saved")


@router.post("/admin/keys/{key_id}/revoke", response_model=None)
async def post_revoke(
    request: Request, visit: VisitDep, key_id: Annotated[int, Path(ge=1)]
) -> Response:
    require(visit, Role.admin)
    form = await read_form(request, visit)
    try:
        with get_store(request).write(visit.principal) as writer:
            revoke_key(writer=writer, actor=visit.principal, key_id=key_id)
    except SulhError as exc:
        refused(form, visit.speaker, exc)
        return _admin_page(request, visit, form, status=409)
    return redirect(request, "/admin", "saved")


@router.post("/admin/agreements", response_model=None)
async def post_agreement(request: Request, visit: VisitDep) -> Response:
    require(visit, Role.admin)
    form = await read_form(request, visit)
    upload = form.files[0] if form.files else None
    text = upload.stream.read(MAX_AGREEMENT_BYTES + 1) if upload else b""
    form.close()
    try:
        if not text or len(text) > MAX_AGREEMENT_BYTES:
            form.fail(
                "agreement", visit.speaker.gettext("Choose an agreement file of at most 1 MB.")
            )
        else:
            source = (upload.filename if upload else None) or "upload"
            agreement = parse_agreement(text.decode("utf-8"), source=source)
            with get_store(request).write(visit.principal) as writer:
                add_agreement_version(writer=writer, agreement=agreement)
    except UnicodeDecodeError:
        form.fail("agreement", visit.speaker.gettext("The agreement file must be UTF-8 text."))
    except SulhError as exc:
        refused(form, visit.speaker, exc)
    if not form.ok:
        return _admin_page(request, visit, form, status=422)
    return redirect(request, "/admin", "saved")
