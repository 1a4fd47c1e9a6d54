"""Play a scenario file (users and timed steps) into the record through the domain functions.

The demo scenario in `examples/` is one; tests and benchmarks write others.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from sulh.access import Principal, Role, add_user, new_password, principal_of
from sulh.access.keys import add_user_key
from sulh.access.roles import Tier
from sulh.agreement.shipped import shipped_path
from sulh.canonical import canonical_json
from sulh.cases import (
    AppealCreate,
    AppealDecision,
    FindingCreate,
    IncidentCreate,
    ReplyCreate,
    VoteCreate,
    attach_report,
    cast_vote,
    decide_appeal,
    decide_finding,
    draft_finding,
    file_appeal,
    file_reply,
    open_incident,
    release_finding,
    release_incident,
    transition_case,
)
from sulh.clock import Clock
from sulh.errors import Invalid
from sulh.intake import ReportCreate, file_report
from sulh.intake.signatures import Signed, must_sign
from sulh.ledger.keys import write_key_file
from sulh.ledger.note import Signer
from sulh.penalties import decide_measure, offer_evidence, set_crossing_status
from sulh.store import Store, Writer
from sulh.store.tables import Measure


@dataclass
class Play:
    """What a scenario run remembers: the objects its steps named, and its filers' keys."""

    refs: dict[str, int] = field(default_factory=dict)
    signers: dict[str, Signer] = field(default_factory=dict)

    def ref(self, name: str) -> int:
        if name not in self.refs:
            raise Invalid(f"Scenario refers to {name!r} before defining it.")
        return self.refs[name]


Step = Callable[[Writer, Principal, dict[str, Any], Play], int | None]


def _signed(
    w: Writer, who: Principal, kind: str, args: dict[str, Any], play: Play
) -> tuple[dict[str, Any], Signed | None]:
    """Sign the submission as the filer's own software would, where the filer must sign."""
    signer = play.signers.get(who.username)
    if signer is None or not must_sign(who, kind):
        return args, None
    body = {**args, "nonce": secrets.token_hex(16), "signed_at": w.now.isoformat()}
    body = json.loads(json.dumps(body, default=_plain))
    signature = base64.b64encode(signer.private.sign(canonical_json(body))).decode()
    return body, Signed(body=body, signature=signature)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"Cannot put {type(value).__name__} in a scenario submission.")


def _file_report(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    body, signed = _signed(w, who, str(args.get("kind")), args, play)
    data = ReportCreate.model_validate(body)
    return file_report(writer=w, actor=who, data=data, signed=signed).id


def _open_incident(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    reports = args.pop("reports")
    args = {**args, "report_ids": [play.ref(r) for r in reports]}
    return open_incident(writer=w, actor=who, data=IncidentCreate.model_validate(args)).id


def _case_of(w: Writer, play: Play, incident: str) -> int:
    from sulh.cases.incidents import get_incident

    return get_incident(w, play.ref(incident)).case.id


def _transition(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> None:
    case_id = _case_of(w, play, args["incident"])
    transition_case(
        writer=w, actor=who, case_id=case_id, to_state=args["to"], note=args.get("note", "")
    )
    return None


def _attach(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> None:
    from sqlalchemy import select

    from sulh.store.tables import IncidentReport

    # Fusion may already have put the report there, as an analyst would have by hand.
    homes = set(
        w.session.scalars(
            select(IncidentReport.incident_id).where(
                IncidentReport.report_id == play.ref(args["report"])
            )
        )
    )
    if homes == {play.ref(args["incident"])}:
        return None
    attach_report(
        writer=w,
        actor=who,
        incident_id=play.ref(args["incident"]),
        report_id=play.ref(args["report"]),
    )
    return None


def _reply(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    case_id = _case_of(w, play, args.pop("incident"))
    body, signed = _signed(w, who, "reply", args, play)
    data = ReplyCreate.model_validate(body)
    return file_reply(writer=w, actor=who, case_id=case_id, data=data, signed=signed).id


def _draft(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    case_id = _case_of(w, play, args.pop("incident"))
    data = FindingCreate.model_validate(args)
    return draft_finding(writer=w, actor=who, case_id=case_id, data=data).id


def _vote(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    finding = play.ref(args.pop("finding"))
    return cast_vote(
        writer=w, actor=who, finding_id=finding, data=VoteCreate.model_validate(args)
    ).id


def _decide(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    return decide_finding(writer=w, actor=who, finding_id=play.ref(args["finding"])).id


def _release(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    finding = play.ref(args["finding"])
    return release_finding(writer=w, actor=who, finding_id=finding, tier=Tier(args["tier"])).id


def _release_incident(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    incident = play.ref(args["incident"])
    return release_incident(writer=w, actor=who, incident_id=incident, tier=Tier(args["tier"])).id


def _measure_for(w: Writer, play: Play, finding: str) -> int:
    """The measure proposed because of a finding the scenario named."""
    finding_id = play.ref(finding)
    for measure in w.session.scalars(select(Measure).order_by(Measure.id)):
        if finding_id in measure.findings:
            return measure.id
    raise Invalid(f"No measure counts finding {finding!r}.")


def _decide_measure(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    measure = _measure_for(w, play, args["for_finding"])
    decide_measure(
        writer=w, actor=who, measure_id=measure, decision=args["decision"], reason=args["reason"]
    )
    return measure


def _offer_evidence(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    measure = _measure_for(w, play, args["for_finding"])
    return offer_evidence(writer=w, actor=who, measure_id=measure, text=args["text"]).id


def _crossing_status(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    return set_crossing_status(
        writer=w,
        actor=who,
        crossing=args["crossing"],
        status=args["status"],
        since=args["since"],
        reason=args["reason"],
    ).id


def _appeal(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    finding = play.ref(args.pop("finding"))
    return file_appeal(
        writer=w, actor=who, finding_id=finding, data=AppealCreate.model_validate(args)
    ).id


def _decide_appeal(w: Writer, who: Principal, args: dict[str, Any], play: Play) -> int:
    appeal = play.ref(args.pop("appeal"))
    data = AppealDecision.model_validate(args)
    return decide_appeal(writer=w, actor=who, appeal_id=appeal, data=data).id


STEPS: dict[str, Step] = {
    "file_report": _file_report,
    "open_incident": _open_incident,
    "attach": _attach,
    "transition": _transition,
    "reply": _reply,
    "draft_finding": _draft,
    "vote": _vote,
    "decide": _decide,
    "release": _release,
    "release_incident": _release_incident,
    "decide_measure": _decide_measure,
    "offer_evidence": _offer_evidence,
    "crossing_status": _crossing_status,
    "appeal": _appeal,
    "decide_appeal": _decide_appeal,
}


def _fixed(moment: datetime) -> Clock:
    return lambda: moment


def play(
    store: Store, scenario: dict[str, Any], *, keys: Path | None = None
) -> dict[str, tuple[str, str]]:
    """Create the scenario's users and play its steps; return {username: (role, password)}.

    With `keys`, each filer's private key is written there as `<username>.key`, so that the
    demo's liaisons and monitors can sign in the browser; otherwise the keys are forgotten."""
    passwords: dict[str, tuple[str, str]] = {}
    people: dict[str, Principal] = {}
    play = Play()
    system = Principal(user_id=None, username="system", role=Role.admin)
    times = [s["at"] for s in scenario.get("steps", []) if isinstance(s.get("at"), datetime)]
    real_clock = store.clock
    if times:
        store.clock = _fixed(min(times))
    with store.write(system) as writer:
        for spec in scenario.get("users", []):
            password = new_password()
            user = add_user(
                writer=writer,
                username=spec["username"],
                role=Role(spec["role"]),
                party=spec.get("party"),
                display_name=spec.get("display_name"),
                password=password,
            )
            passwords[user.username] = (user.role, password)
            people[user.username] = principal_of(user)
            if Role(user.role) in (Role.liaison, Role.monitor):
                # The demo holds its filers' private keys only for as long as it plays.
                play.signers[user.username] = Signer.generate(user.username)
                if keys is not None:
                    write_key_file(keys / f"{user.username}.key", play.signers[user.username])
                add_user_key(
                    writer=writer,
                    actor=system,
                    username=user.username,
                    verifier=play.signers[user.username].verifier,
                )
    try:
        for number, step in enumerate(scenario.get("steps", []), start=1):
            step = dict(step)
            at = step.pop("at", None)
            who = people[step.pop("as")]
            ((action, args),) = step.items()
            if at is not None and not isinstance(at, datetime):
                raise Invalid(f"Scenario step {number}: 'at' must be a date-time, not {at!r}.")
            store.clock = _fixed(at) if at is not None else real_clock
            args = dict(args or {})
            ref = args.pop("ref", None)
            try:
                with store.write(who) as writer:
                    made = STEPS[action](writer, who, args, play)
            except Exception as exc:
                raise Invalid(f"Scenario step {number} ({action}) failed: {exc}") from exc
            if ref is not None and made is not None:
                play.refs[ref] = made
    finally:
        store.clock = real_clock
    return passwords


def load_scenario(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise Invalid(f"{path}: a scenario is a YAML mapping with 'users' and 'steps'.")
    return data


def play_demo(store: Store, *, keys: Path | None = None) -> dict[str, tuple[str, str]]:
    """Play the project's demo scenario (writing its filers' keys to `keys`, if given)."""
    return play(store, load_scenario(shipped_path("examples", "demo-scenario.yaml")), keys=keys)
