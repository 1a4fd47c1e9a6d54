/* Sulh's offline map: every element with a data-map attribute becomes a Leaflet map.
 *
 * Attributes (all URLs same-origin; nothing here calls an outside service):
 *   data-boundaries   GeoJSON from scripts/build-map-data (parties, neighbours, border)
 *   data-points       {"points": [[id, lat, lon, event_type, confidence|null], ...],
 *                      "labels": {"event_type": {"air_strike": "Air strike", ...}}}
 *   data-crossings    {"crossings": [{id, name, lat, lon, status, status_label}, ...]}
 *                     status: open, closed, refugees_only, trade_only; others show as unknown
 * Point confidence is accepted and not yet shown. Rows without numeric lat/lon are skipped.
 *   data-tiles        optional tile URL template; no tile layer when empty
 *   data-tiles-attribution, data-label-map, data-label-open, data-label-error,
 *   data-label-crossings (legend heading)
 *
 * window.sulhMap = {maps, ready}: ready resolves with maps once every map has added all
 * its points; each entry has pointCount, crossingCount and errors.
 */
(() => {
  "use strict";

  const REGION = [[23.6, 60.5], [38.5, 77.9]]; // Afghanistan and Pakistan, before data loads
  const MAX_ZOOM = 16; // street level; each extra level costs clustering time for every point
  const CROSSING_CLASS = {
    open: "open", closed: "closed", refugees_only: "limited", trade_only: "limited",
  };
  const STYLES = {
    neighbour: {color: "#b5b5b5", weight: 1, fillColor: "#e4e4e4", fillOpacity: 1},
    party: {color: "#4a5560", weight: 1.5, fillColor: "#fbf8f1", fillOpacity: 1},
    border: {color: "#1f1f1f", weight: 3, dashArray: "8 6", lineCap: "butt"},
  };
  const maps = [];

  async function fetchJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin", headers: {Accept: "application/json"},
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function escapeText(text) {
    // Leaflet writes attributions as HTML; show the configured text as text.
    const node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function createMap(container) {
    container.setAttribute("role", "region");
    if (container.dataset.labelMap) {
      container.setAttribute("aria-label", container.dataset.labelMap);
    }
    const map = L.map(container, {keyboard: true, minZoom: 3, maxZoom: MAX_ZOOM});
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.fitBounds(REGION);
    const tiles = (container.dataset.tiles || "").trim();
    if (tiles) {
      const attribution = escapeText(container.dataset.tilesAttribution || "");
      L.tileLayer(tiles, {attribution, maxZoom: MAX_ZOOM}).addTo(map);
    }
    return map;
  }

  function addBoundaries(entry, collection) {
    const layer = (kind) => L.geoJSON(collection, {
      filter: (feature) => feature.properties && feature.properties.kind === kind,
      style: () => ({...STYLES[kind], className: `sulh-map-${kind}`}),
      interactive: false,
    }).addTo(entry.map);
    layer("neighbour");
    const parties = layer("party");
    layer("border");
    const bounds = parties.getBounds();
    if (bounds.isValid()) entry.map.fitBounds(bounds);
  }

  function crossingIcon(status) {
    const variant = CROSSING_CLASS[status] || "unknown";
    return L.divIcon({
      className: `sulh-crossing sulh-crossing--${variant}`, html: false,
      iconSize: [16, 16], iconAnchor: [8, 8], tooltipAnchor: [0, -10],
    });
  }

  function crossingText(crossing) {
    const tip = element("div", "sulh-crossing-tip");
    tip.append(element("strong", "", String(crossing.name ?? "")));
    tip.append(element("span", "", String(crossing.status_label ?? "")));
    return tip;
  }

  function addCrossings(entry, data) {
    const legend = new Map();
    for (const crossing of data.crossings || []) {
      const lat = Number(crossing.lat), lon = Number(crossing.lon);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const icon = crossingIcon(crossing.status);
      const marker = L.marker([lat, lon], {icon, zIndexOffset: 1000}); // above clusters
      const name = `${crossing.name ?? ""}: ${crossing.status_label ?? ""}`;
      marker.on("add", () => marker.getElement().setAttribute("aria-label", name));
      // Tooltips open on hover, tap and keyboard focus, so crossings need no popup.
      marker.bindTooltip(crossingText(crossing), {direction: "top"});
      marker.addTo(entry.map);
      entry.crossingCount += 1;
      if (!legend.has(crossing.status)) legend.set(crossing.status, crossing.status_label);
    }
    if (legend.size) addLegend(entry, legend);
  }

  function addLegend(entry, statuses) {
    const control = L.control({position: "bottomright"});
    control.onAdd = () => {
      const box = element("div", "sulh-map-legend");
      const heading = entry.element.dataset.labelCrossings;
      if (heading) box.append(element("div", "sulh-map-legend__title", heading));
      for (const [status, label] of statuses) {
        const row = element("div", "sulh-map-legend__row");
        const swatch = element("span", crossingIcon(status).options.className);
        swatch.setAttribute("aria-hidden", "true");
        row.append(swatch, element("span", "", String(label ?? "")));
        box.append(row);
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(entry.map);
  }

  function pointPopup(entry, marker) {
    const box = element("div", "sulh-point-popup");
    box.append(element("strong", "", marker.options.title));
    const link = element("a", "", entry.element.dataset.labelOpen || "Open");
    link.href = `/incidents/${encodeURIComponent(String(marker.sulhId))}`;
    box.append(element("br"), link);
    return box;
  }

  function openPointPopup(entry, event) {
    const byKeyboard = event.type === "keypress";
    if (byKeyboard && event.originalEvent.keyCode !== 13) return;
    const marker = event.layer;
    const content = pointPopup(entry, marker);
    L.popup({offset: [0, -4]}).setLatLng(marker.getLatLng()).setContent(content)
      .openOn(entry.map);
    // Leaflet's Escape handler stops listening once focus leaves the map container.
    content.addEventListener("keydown", (key) => {
      if (key.key === "Escape") entry.map.closePopup();
    });
    if (byKeyboard) {
      content.querySelector("a").focus({preventScroll: true});
      entry.map.once("popupclose", () => {
        const icon = marker.getElement();
        if (icon) icon.focus({preventScroll: true});
      });
    }
  }

  function makePointMarkers(data) {
    const labels = (data.labels && data.labels.event_type) || {};
    const icon = L.divIcon({className: "sulh-point", html: false, iconSize: [12, 12]});
    const markers = [];
    for (const [id, lat, lon, type] of data.points || []) {
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const marker = L.marker([lat, lon], {icon, title: String(labels[type] || type)});
      marker.sulhId = id;
      markers.push(marker);
    }
    return markers;
  }

  function addPoints(entry, data) {
    const markers = makePointMarkers(data);
    return new Promise((resolve) => {
      let adding = false; // adding the group to the map reports progress too, on no layers
      const group = L.markerClusterGroup({
        chunkedLoading: true,
        showCoverageOnHover: false,
        chunkInterval: 50, chunkDelay: 10, // short slices keep the page responsive meanwhile
        chunkProgress: (done, total) => { if (adding && done === total) resolve(); },
      });
      group.on("click keypress", (event) => openPointPopup(entry, event));
      group.addTo(entry.map);
      entry.points = group;
      entry.pointCount = markers.length;
      adding = true;
      group.addLayers(markers);
    });
  }

  function showError(entry, error) {
    entry.errors.push(String(error && error.message ? error.message : error));
    if (entry.errorNode) return;
    const text = entry.element.dataset.labelError || "Some map data could not be loaded.";
    entry.errorNode = element("p", "sulh-map-error", text);
    entry.errorNode.setAttribute("role", "status");
    entry.element.insertAdjacentElement("afterend", entry.errorNode);
  }

  async function apply(entry, request, add) {
    if (!request) return;
    try {
      await add(entry, await request);
    } catch (error) {
      showError(entry, error);
    }
  }

  async function initialise(container) {
    const entry = {
      element: container, map: createMap(container), points: null,
      pointCount: 0, crossingCount: 0, errors: [], errorNode: null,
    };
    maps.push(entry);
    const load = (name) => {
      const url = container.dataset[name];
      if (!url) return null;
      const request = fetchJson(url);
      request.catch(() => {}); // reported by apply(), in order
      return request;
    };
    // Fetch together, draw in order: the view settles before clustering starts.
    const boundaries = load("boundaries"), crossings = load("crossings"), points = load("points");
    await apply(entry, boundaries, addBoundaries);
    await apply(entry, crossings, addCrossings);
    await apply(entry, points, addPoints);
    return entry;
  }

  function domReady() {
    if (document.readyState !== "loading") return Promise.resolve();
    return new Promise((resolve) => {
      document.addEventListener("DOMContentLoaded", () => resolve(), {once: true});
    });
  }

  const ready = domReady()
    .then(() => Promise.all([...document.querySelectorAll("[data-map]")].map(initialise)))
    .then(() => maps);

  window.sulhMap = {maps, ready};
})();
