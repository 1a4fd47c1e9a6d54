"""Incidents as a GeoJSON FeatureCollection (RFC 7946), written as it streams.

Each incident is a Feature: a Point at [longitude, latitude] in WGS 84 (RFC 7946 has no
`crs` member: WGS 84 is implied), or `"geometry": null` when it has no place, so that the
collection holds every incident the CSV does. Properties carry the CSV's columns but the
coordinates. The cut is the foreign member `sulh_cut`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sulh.outputs.acled import NAMES, cells
from sulh.outputs.cut import Cut
from sulh.outputs.incident_rows import IncidentRow

BATCH = 1000  # features per chunk written out
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_LAT, _LON = NAMES.index("latitude"), NAMES.index("longitude")
_PROPERTIES = [(i, name) for i, name in enumerate(NAMES) if i not in (_LAT, _LON)]


def geojson_chunks(rows: Iterable[IncidentRow], cut: Cut) -> Iterator[str]:
    yield '{"type":"FeatureCollection","sulh_cut":' + _ENCODE(cut.as_dict()) + ',"features":['
    source, separator = iter(rows), "\n"
    while batch := list(islice(source, BATCH)):
        yield separator + ",\n".join(_ENCODE(feature(row)) for row in batch)
        separator = ",\n"
    yield "\n]}\n"


def feature(row: IncidentRow) -> dict[str, Any]:
    values = cells(row)
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": point(values[_LON], values[_LAT]),
        "properties": {name: values[i] for i, name in _PROPERTIES},
    }


def point(lon: float | None, lat: float | None) -> dict[str, Any] | None:
    """A Point, or None for a place that is missing or not a position on the Earth."""
    if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return {"type": "Point", "coordinates": [lon, lat]}
