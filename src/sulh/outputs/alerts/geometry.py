"""How far an incident is from a zone: a point (a crossing) or a line (the border)."""

from __future__ import annotations

import math

from sulh.agreement.model import LineString, Point

EARTH_KM = 6371.0088  # mean radius (IUGG)
Lonlat = tuple[float, float]


def km_between(a: Lonlat, b: Lonlat) -> float:
    """Great-circle distance by the haversine formula."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _plane(origin: Lonlat, point: Lonlat) -> tuple[float, float]:
    # Kilometres east and north of `origin`: exact enough within a few hundred km.
    scale = math.pi / 180 * EARTH_KM
    east = (point[0] - origin[0]) * scale * math.cos(math.radians(origin[1]))
    return east, (point[1] - origin[1]) * scale


def km_to_segment(point: Lonlat, a: Lonlat, b: Lonlat) -> float:
    (ax, ay), (bx, by) = _plane(point, a), _plane(point, b)
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
    return math.hypot(ax + t * dx, ay + t * dy)


def km_to_zone(point: Lonlat, geometry: Point | LineString) -> float:
    """Distance from `point` ([lon, lat]) to the zone's point or to the nearest part of its
    line, in kilometres."""
    if isinstance(geometry, Point):
        return km_between(point, geometry.coordinates)
    line = geometry.coordinates
    return min(km_to_segment(point, a, b) for a, b in zip(line, line[1:], strict=False))
