"""An alert as a CAP 1.2 document (OASIS Common Alerting Protocol, version 1.2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from sulh.clock import as_utc
from sulh.outputs.alerts.views import AlertPublic

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
MEDIA_TYPE = "application/cap+xml"
# Who may read a restricted alert, in CAP's <restriction>.
AUDIENCES = {
    "internal": "the mechanism's staff only",
    "joint": "the mechanism's staff and the guarantors",
    "parties": "the mechanism's staff, the guarantors, the parties' liaisons and observers",
}


def cap_time(moment: datetime) -> str:
    # CAP forbids "Z" and fractions of a second; UTC is written -00:00 (CAP 1.2, 3.3.2).
    return f"{as_utc(moment):%Y-%m-%dT%H:%M:%S}-00:00"


def _add(parent: Any, name: str, text: str) -> Any:
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    element.text = text
    return element


def cap_alert(alert: AlertPublic, *, sender: str = "") -> bytes:
    """The CAP 1.2 <alert> of `alert`, as UTF-8 XML. Public alerts have scope Public, the
    others Restricted, with the tier's readers in <restriction>."""
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", sender or f"sulh:{alert.agreement}")
    _add(root, "sent", cap_time(alert.raised_at))
    _add(root, "status", "Actual")
    _add(root, "msgType", "Alert")
    if alert.tier == "public":
        _add(root, "scope", "Public")
    else:
        _add(root, "scope", "Restricted")
        _add(root, "restriction", f"Sulh tier {alert.tier}: {AUDIENCES[alert.tier]}.")
    _add(root, "code", f"sulh:{alert.kind}")
    _info(etree.SubElement(root, f"{{{CAP_NS}}}info"), alert)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _info(info: Any, alert: AlertPublic) -> None:
    _add(info, "language", "en")
    _add(info, "category", alert.category)
    _add(info, "event", alert.event)
    _add(info, "urgency", alert.urgency)
    _add(info, "severity", alert.severity)
    _add(info, "certainty", alert.certainty)
    _add(info, "senderName", f"Sulh, agreement {alert.agreement}")
    _add(info, "headline", alert.title[:160])  # CAP asks for fewer than 160 characters
    _add(info, "description", alert.description)
    parameter = etree.SubElement(info, f"{{{CAP_NS}}}parameter")
    _add(parameter, "valueName", "sulh:rule")
    _add(parameter, "value", alert.rule)
    if alert.area is not None:
        area = etree.SubElement(info, f"{{{CAP_NS}}}area")
        _add(area, "areaDesc", alert.area.desc)
        for circle in alert.area.circles:
            _add(area, "circle", f"{circle.lat:.5f},{circle.lon:.5f} {circle.radius_km:g}")
