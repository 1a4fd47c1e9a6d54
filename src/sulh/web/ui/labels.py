"""The record's codes in words: every vocabulary value the pages show, marked for translation."""

from __future__ import annotations

from sulh.web.ui.i18n import Speaker
from sulh.web.ui.i18n import _ as mark

LABELS: dict[str, str] = {
    # report kinds
    "complaint": mark("Complaint"),
    "observation": mark("Observation"),
    "statement": mark("Statement"),
    "media": mark("Media report"),
    "tip": mark("Public tip"),
    # event types
    "armed_clash": mark("Armed clash"),
    "air_or_drone_strike": mark("Air or drone strike"),
    "shelling_artillery": mark("Shelling or artillery"),
    "remote_explosive_or_ied": mark("Remote explosive or IED"),
    "attack_on_civilians": mark("Attack on civilians"),
    "armed_attack_by_militants": mark("Armed attack by militants"),
    "cross_border_raid": mark("Cross-border raid"),
    "troop_movement": mark("Troop movement"),
    "access_denial": mark("Access denial"),
    "attack_on_monitors": mark("Attack on monitors"),
    "border_crossing_closed": mark("Border crossing closed"),
    "border_crossing_reopened": mark("Border crossing reopened"),
    "hostile_rhetoric": mark("Hostile rhetoric"),
    "support_to_armed_group": mark("Support to an armed group"),
    "other": mark("Other"),
    # case states
    "received": mark("Received"),
    "triaged": mark("Triaged"),
    "inquiry": mark("Inquiry"),
    "field_investigation": mark("Field investigation"),
    "access_blocked": mark("Access blocked"),
    "awaiting_party_information": mark("Awaiting party information"),
    "draft_finding": mark("Draft finding"),
    "review": mark("Review"),
    "decided": mark("Decided"),
    "referred": mark("Referred"),
    "closed": mark("Closed"),
    # confidence
    "confirmed": mark("Confirmed"),
    "fair": mark("Fair"),
    "weak": mark("Weak"),
    "contested": mark("Contested"),
    "discounted": mark("Discounted"),
    # finding outcomes and states
    "violation_minor": mark("Minor violation"),
    "violation_serious": mark("Serious violation"),
    "violation_grave": mark("Grave violation"),
    "non_compliance": mark("Non-compliance"),
    "no_violation": mark("No violation"),
    "not_verifiable": mark("Not verifiable"),
    "draft": mark("Draft"),
    "superseded": mark("Superseded"),
    # votes
    "concur": mark("Concur"),
    "dissent": mark("Dissent"),
    "abstain": mark("Abstain"),
    # tiers
    "internal": mark("Internal"),
    "joint": mark("Joint (with guarantors)"),
    "parties": mark("Parties"),
    "public": mark("Public"),
    # roles
    "admin": mark("Administrator"),
    "guarantor": mark("Guarantor"),
    "analyst": mark("Analyst"),
    "monitor": mark("Monitor"),
    "liaison": mark("Liaison officer"),
    "observer": mark("Observer"),
    # precisions
    "exact": mark("Exact"),
    "hour": mark("Within the hour"),
    "day": mark("That day"),
    "week": mark("That week"),
    "month": mark("That month"),
    # how precise a place is
    "place_point": mark("An exact point"),
    "place_town": mark("A town or village"),
    "place_district": mark("A district"),
    "place_province": mark("A province"),
    "place_country": mark("Only the country"),
    # casualties
    "civilian": mark("Civilians"),
    "security": mark("Security forces"),
    "militant": mark("Militants"),
    "unknown": mark("Unknown"),
    "killed": mark("Killed"),
    "injured": mark("Injured"),
    # stances
    "alleges": mark("Alleges"),
    "denies": mark("Denies"),
    "acknowledges": mark("Acknowledges"),
    "neither_confirms_nor_denies": mark("Neither confirms nor denies"),
    # measures
    "proposed": mark("Proposed"),
    "ratified": mark("Ratified"),
    "rejected": mark("Rejected"),
    "withdrawn": mark("Withdrawn"),
    "pending": mark("Pending"),
    "complied": mark("Complied with"),
    "not_complied": mark("Not complied with"),
    "overdue": mark("Overdue"),
    "lifted": mark("Lifted"),
    "met": mark("Met"),
    "not_met": mark("Not met"),
    "ratify": mark("Ratify"),
    "reject": mark("Reject"),
    "evidence": mark("Evidence offered"),
    "decision": mark("Decision"),
    # crossings
    "open": mark("Open"),
    "refugees_only": mark("Refugees only"),
    "trade_only": mark("Trade only"),
    "not_recorded": mark("No status recorded"),
    # kinds of alert
    "zone_count": mark("Incidents near a monitored place"),
    "grave_finding": mark("Grave violation found"),
    "deadline_missed": mark("Deadline missed"),
    "crossing_closed": mark("Crossing closed"),
    # dashboard dimensions
    "party": mark("By party accused"),
    "type": mark("By type"),
    "clause": mark("Violations by clause"),
    "unattributed": mark("Not attributed"),
}


def label(speaker: Speaker, code: str | None) -> str:
    """The code in the viewer's language; an unknown code is shown as it is."""
    if code is None:
        return ""
    known = LABELS.get(code)
    return speaker.gettext(known) if known else code
