"""Drawing a situation report as HTML, Markdown or PDF, each carrying its data and signature.

The HTML embeds the report's data as JSON and the signed note in elements with known ids;
the Markdown ends with both in fenced blocks; the PDF (WeasyPrint, from the HTML, charts as
SVG) carries both as attached files. `read_signed` takes any of the three back apart, so
`sulh verify-sitrep` can check a report whichever way it travelled.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from sulh.errors import Invalid
from sulh.outputs.svg import bars, incident_map

FORMATS = ("html", "md", "pdf")
DATA_FILE = "sulh-data.json"
NOTE_FILE = "sulh-signature.txt"
DIMENSIONS = {"party": "accused party", "type": "type", "clause": "clause", "area": "area"}
_HTML_DATA = re.compile(r'<script type="application/json" id="sulh-data">(.*?)</script>', re.S)
_HTML_NOTE = re.compile(r'<pre id="sulh-signature">(.*?)</pre>', re.S)
_MD_DATA = re.compile(r"```json sulh-data\n(.*?)\n```", re.S)
_MD_NOTE = re.compile(r"```text sulh-signature\n(.*?)```", re.S)


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("sulh.outputs", "templates"),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    environment.filters.update(when=when, words=words)
    return environment


def when(value: str | None) -> str:
    """An ISO time as people read it in a table: 2025-10-20 14:30 UTC."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def words(value: Any) -> str:
    return str(value or "").replace("_", " ")


def title_of(data: dict[str, Any]) -> str:
    if data["kind"] == "spot":
        return f"Spot report: incident {data['incident']['id']}, {data['dated']}"
    if data["kind"] == "monthly":
        return f"Monthly situation report, {date.fromisoformat(data['dated']):%B %Y}"
    return f"{data['kind'].capitalize()} situation report, {data['dated']}"


def _named(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data["counts"].get(key, [])
    if key == "clause":
        return [{**r, "value": f"{r['value']} {data['names'].get(r['value'], '')}"} for r in rows]
    if key == "area":
        return [{**r, "value": data["names"].get(r["value"], r["value"])} for r in rows]
    return [{**r, "value": words(r["value"])} for r in rows]


def render_html(data: dict[str, Any], note: str) -> str:
    """The report as one self-contained HTML page."""
    charts = [
        bars(
            f"Incidents by {name}" if key != "clause" else "Violations found, by clause",
            _named(data, key),
        )
        for key, name in DIMENSIONS.items()
    ]
    # "</script" or "<!--" would end or change the script element; JSON allows "<" escaped.
    data_json = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return (
        _environment()
        .get_template("sitrep.html")
        .render(
            r=data,
            title=title_of(data),
            cut_line=_cut_line(data["cut"]),
            previous_total=sum(row["before"] for row in data["counts"].get("type", [])),
            charts=charts,
            map=incident_map(data["incidents"], data["crossings"]),
            note=note,
            data_json=data_json,
        )
    )


def _cut_line(cut: dict[str, Any]) -> str:
    where = f"within the signed checkpoint of size {cut['checkpoint_size']}"
    if cut.get("checkpoint_size") is None:
        where = "not yet covered by a signed checkpoint"
    return f"Cut at {cut['cut_at']} from the first {cut['log_size']} log entries, {where}."


def render_markdown(data: dict[str, Any], note: str) -> str:
    """The report as Markdown tables, ending with its data and signature."""
    lines = [f"# {title_of(data)}", "", f"**Tier: {data['tier']}** · {data['agreement']} · "]
    lines[-1] += f"{when(data['period']['start'])} to {when(data['period']['end'])}"
    lines += ["", _cut_line(data["cut"]), ""]
    lines += [f"## Incidents: {data['incidents_total']}", ""]
    for key, name in DIMENSIONS.items():
        lines += _table(f"By {name}", ["", "this period", "previous"], [
            [r["value"], r["now"], r["before"]] for r in _named(data, key)
        ])  # fmt: skip
    lines += _table("Listed", ["incident", "when", "type", "where", "accused", "confidence"], [
        [i["id"], when(i["time"]), words(i["type"]), i["place"] or "", i["accused"] or "",
         i["confidence"] or ""]
        for i in data["incidents"]
    ])  # fmt: skip
    lines += _table("Findings decided", ["finding", "incident", "outcome", "clauses", "party"], [
        [f["id"], f["incident"], f["outcome"], ", ".join(f["clauses"]), f["attributed_to"] or ""]
        for f in data["findings"]
    ])  # fmt: skip
    lines += _table("Penalties", ["measure", "party", "deadline", "compliance"], [
        [m["measure"], m["party"], m["deadline"] or "", m["compliance"] or ""]
        for m in data["measures"]
    ])  # fmt: skip
    lines += _table("Commitments falling due", ["commitment", "party", "due", "status"], [
        [c["id"], c["party"], c["due"], c["status"]] for c in data["commitments"]
    ])  # fmt: skip
    lines += _table("Crossings", ["crossing", "status", "since"], [
        [c["name"], c["status"], c["since"] or ""] for c in data["crossings"]
    ])  # fmt: skip
    lines += _table("Access denied to monitors", ["incident", "place", "recorded"], [
        [d["incident"], d["place"] or "", d["at"]] for d in data["access_denials"]
    ])  # fmt: skip
    data_json = json.dumps(data, ensure_ascii=False, indent=1)
    lines += ["## Data and signature", "", "```json sulh-data", data_json, "```", ""]
    lines += ["```text sulh-signature", note.rstrip("\n"), "```", ""]
    return "\n".join(lines)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> list[str]:
    if not rows:
        return [f"### {title}", "", "None.", ""]
    found = [f"### {title}", "", "| " + " | ".join(header) + " |"]
    found.append("|" + "---|" * len(header))
    found += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*found, ""]


def _cell(value: Any) -> str:
    # Pipes and line breaks would break the table; Markdown markup is shown as text.
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return re.sub(r"([*_`<>\[\]#])", r"\\\1", text)


def render_pdf(data: dict[str, Any], note: str) -> bytes:
    """The HTML drawn by WeasyPrint, with the data and the signature attached as files."""
    try:
        from weasyprint import HTML, Attachment  # type: ignore[import-untyped]
    except OSError as exc:  # Pango missing: see README, "Dependencies"
        raise Invalid(f"PDF output needs Pango, which is not installed: {exc}") from None
    attachments = [
        Attachment(string=json.dumps(data, ensure_ascii=False), name=DATA_FILE),
        Attachment(string=note, name=NOTE_FILE),
    ]
    pdf: bytes = HTML(string=render_html(data, note)).write_pdf(attachments=attachments)
    return pdf


def read_signed(content: bytes) -> tuple[dict[str, Any], str]:
    """The data and signed note a report carries, whichever format it is in."""
    if content.startswith(b"%PDF-"):
        return _from_pdf(content)
    text = content.decode("utf-8", errors="strict")
    data, note = _HTML_DATA.search(text), _HTML_NOTE.search(text)
    if data and note:
        import html

        return json.loads(data.group(1)), html.unescape(note.group(1))
    data, note = _MD_DATA.search(text), _MD_NOTE.search(text)
    if data and note:
        return json.loads(data.group(1)), note.group(1)
    raise Invalid("This is not a Sulh situation report: it carries no data and signature.")


def _from_pdf(content: bytes) -> tuple[dict[str, Any], str]:
    import pypdf

    attached = pypdf.PdfReader(io.BytesIO(content)).attachments
    if DATA_FILE not in attached or NOTE_FILE not in attached:
        raise Invalid("This PDF carries no Sulh data and signature.")
    data: dict[str, Any] = json.loads(attached[DATA_FILE][0])
    return data, attached[NOTE_FILE][0].decode()
