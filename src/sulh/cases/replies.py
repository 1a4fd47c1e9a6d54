"""The accused party's right of reply, within the agreement's window."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role
from sulh.cases.workflow import OPEN_FOR_REPLY, get_case
from sulh.clock import as_utc
from sulh.errors import Conflict, DeadlinePassed, Duplicate, Forbidden
from sulh.intake.signatures import Signed, attach, check_signed
from sulh.store.tables import Case, Incident, Reply
from sulh.store.writer import Writer


class ReplyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=100_000)
    language: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    nonce: str | None = Field(default=None, min_length=16, max_length=64)
    signed_at: datetime | None = None


def file_reply(
    *,
    writer: Writer,
    actor: Principal,
    case_id: int,
    data: ReplyCreate,
    signed: Signed | None = None,
) -> Reply:
    """File the accused party's one reply, kept verbatim and signed by its liaison."""
    if actor.role is not Role.liaison:
        raise Forbidden("Only a party's liaison files its reply.")
    case = get_case(writer, case_id)
    accused = case.incident.accused_party
    if accused != actor.party:
        raise Forbidden(f"Case {case.id} makes no allegation against {actor.party}.")
    if case.state not in OPEN_FOR_REPLY or case.reply_due_at is None:
        raise Conflict(f"Case {case.id} is {case.state!r}: it is not open for a reply.")
    if writer.now > as_utc(case.reply_due_at):
        raise DeadlinePassed(
            f"The reply window for case {case.id} closed at {case.reply_due_at.isoformat()}."
        )
    already = writer.session.scalar(
        select(Reply.id).where(Reply.case_id == case.id, Reply.party == actor.party)
    )
    if already is not None:
        raise Duplicate(f"{actor.party} has already replied on case {case.id} (reply {already}).")
    signature = check_signed(writer=writer, actor=actor, kind="reply", signed=signed)
    reply = Reply(
        case_id=case.id,
        party=actor.party,
        text=data.text,
        language=data.language,
        filed_by=actor.user_id,
        filed_at=writer.now,
        agreement_version_id=writer.agreement.id,
    )
    writer.add(reply)
    writer.record("reply.filed", reply)
    attach(writer, signature, reply)
    return reply


def overdue_replies_query(now_: datetime) -> Select[Case]:
    """Cases whose reply window has closed with no reply from the accused party."""
    replied = exists().where(and_(Reply.case_id == Case.id, Reply.party == Incident.accused_party))
    return (
        select(Case)
        .join(Incident, Incident.id == Case.incident_id)
        .where(Case.reply_due_at.is_not(None), Case.reply_due_at < now_, ~replied)
    )


def replies_for(session: Session, case_id: int) -> list[Reply]:
    return list(session.scalars(select(Reply).where(Reply.case_id == case_id).order_by(Reply.id)))
