/*
 * The small map of an OGC API HTML page (items, one item): draws the page's features, read
 * from the GeoJSON alternate of the same page (cfg.geojson, same origin), on a plain map
 * without a basemap (offline; no tile server). Feature text reaches the page only as text.
 */
const cfg = JSON.parse(document.getElementById("ketahanan-config").textContent);

function draw() {
  const node = document.getElementById("ogc-map");
  if (!node || !cfg.geojson) {
    return;
  }
  const map = L.map(node, { attributionControl: false, scrollWheelZoom: false });
  map.setView([-6.2, 106.83], 10);
  const style = cfg.style;
  fetch(cfg.geojson, { headers: { Accept: "application/geo+json" } })
    .then((answer) => (answer.ok ? answer.json() : Promise.reject(answer.status)))
    .then((data) => {
      const layer = L.geoJSON(data, {
        style,
        pointToLayer: (_feature, latlng) => L.circleMarker(latlng, { ...style, radius: 5 }),
        onEachFeature: (feature, shape) => {
          const label = document.createElement("span");
          label.textContent = String(feature.id ?? "");
          shape.bindTooltip(label);
        },
      }).addTo(map);
      const bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { maxZoom: 16 });
      }
    })
    .catch(() => node.classList.add("ogc-map-failed")); // the table still has every value
}

draw();
