"""Charts and a map as SVG, drawn in Python, so reports need no browser and no network.

Bars compare a period with the one before it; the map draws the parties' outlines Sulh
ships (src/sulh/web/ui/static/map/boundaries.geojson, built by scripts/build-map-data),
the crossings and the period's incidents, on a plain equirectangular projection.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any

BAR_WIDTH = 360
ROW = 22
LABEL = 170
MAP_BOX = (60.5, 23.5, 77.5, 38.5)  # west, south, east, north: Afghanistan and Pakistan
MAP_WIDTH = 520
STATUS_COLOURS = {"open": "#1b7a3a", "closed": "#b3261e", "restricted": "#a15c00"}


def bars(title: str, rows: list[dict[str, Any]], *, limit: int = 10) -> str:
    """Horizontal bars: this period (dark) against the previous one (light)."""
    shown = rows[:limit]
    top = max([1, *(max(r["now"], r["before"]) for r in shown)])
    height = 28 + ROW * max(1, len(shown))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{LABEL + BAR_WIDTH + 60}" '
        f'height="{height}" viewBox="0 0 {LABEL + BAR_WIDTH + 60} {height}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for n, row in enumerate(shown):
        y = 24 + n * ROW
        now, before = (BAR_WIDTH * row[k] / top for k in ("now", "before"))
        parts += [
            f'<text x="0" y="{y + 14}" font-size="12">{escape(_short(str(row["value"])))}</text>',
            f'<rect x="{LABEL}" y="{y + 2}" width="{before:.1f}" height="16" fill="#c9d1da"/>',
            f'<rect x="{LABEL}" y="{y + 6}" width="{now:.1f}" height="8" fill="#1f4e79"/>',
            f'<text x="{LABEL + max(now, before) + 6:.1f}" y="{y + 14}" font-size="12">'
            f"{row['now']} ({row['before']})</text>",
        ]
    if not shown:
        parts.append('<text x="0" y="40" font-size="12">None in either period.</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, most: int = 24) -> str:
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


@lru_cache(maxsize=1)
def _outlines() -> list[dict[str, Any]]:
    data = resources.files("sulh.web.ui").joinpath("static/map/boundaries.geojson").read_text()
    features: list[dict[str, Any]] = json.loads(data)["features"]
    return features


def _project(lon: float, lat: float) -> tuple[float, float]:
    west, south, east, north = MAP_BOX
    scale = MAP_WIDTH / (east - west)
    # Degrees of longitude shrink with latitude; stretch latitude to keep shapes honest.
    stretch = 1 / math.cos(math.radians((south + north) / 2))
    return (lon - west) * scale, (north - lat) * scale * stretch


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def incident_map(incidents: list[dict[str, Any]], crossings: list[dict[str, Any]]) -> str:
    """The parties' outlines, the crossings by status, and each incident as a dot."""
    height = _project(MAP_BOX[0], MAP_BOX[1])[1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{MAP_WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {MAP_WIDTH} {height:.0f}">',
        "<title>Incidents of the period and the crossings</title>",
        f'<rect width="{MAP_WIDTH}" height="{height:.0f}" fill="#eef3f7"/>',
    ]
    for feature in _outlines():
        fill = "#ffffff" if feature["properties"].get("kind") == "party" else "#e3e6ea"
        for ring in _rings(feature["geometry"]):
            points = " ".join("{:.1f},{:.1f}".format(*_project(x, y)) for x, y, *_ in ring)
            parts.append(f'<polygon points="{points}" fill="{fill}" stroke="#7a8591"/>')
    for c in crossings:
        if c.get("lon") is None:
            continue
        x, y = _project(c["lon"], c["lat"])
        colour = STATUS_COLOURS.get(c["status"], "#555555")
        parts.append(
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"<title>{escape(c['name'])}: {escape(c['status'])}</title></rect>"
        )
    for i in incidents:
        if i.get("lat") is None or i.get("lon") is None:
            continue
        x, y = _project(i["lon"], i["lat"])
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#b3261e" fill-opacity="0.75">'
            f"<title>{escape(str(i.get('place') or ''))} ({i['id']})</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
