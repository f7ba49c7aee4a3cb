/*
 * The pillar's overlay layers (flood RWs, pumps, slum RWs, TransJakarta, rail, ... as
 * web/pages.py OVERLAYS lists them): each is loaded from GET /collections/{id}/items when its
 * folium group is first shown, styled by cfg.styles.overlays, with a tooltip of its name
 * fields; points in a marker cluster when folium gave the overlay one. Lines and polygons are
 * loaded again when the zoom needs another generalisation.
 */
import { P, fetchAll, itemsUrl, zoomOf } from "./api.js";
import { cfg, el, t, toast } from "./page.js";

const names = (id) => cfg.nameFields[id] || [];

function tooltip(id, props) {
  const parts = names(id)
    .map((n) => props[n])
    .filter((v) => v !== null && v !== undefined && v !== "");
  return el("div", { className: "overlay-tooltip" }, [
    el("strong", { text: t(`layer.${id}`) }),
    parts.length ? el("div", { text: parts.map(String).join(" · ") }) : null,
  ]);
}

function overlayLayer(id, features, clustered) {
  const style = { ...cfg.styles.overlays[id], className: `overlay-${id}` };
  const collection = { type: "FeatureCollection", features };
  const onEachFeature = (feature, layer) =>
    layer.bindTooltip(() => tooltip(id, feature.properties));
  if (clustered) {
    const icon = L.divIcon({ className: "stop-icon", iconSize: [10, 10] });
    const pointToLayer = (f, latlng) => L.marker(latlng, { icon });
    return L.geoJSON(collection, { pointToLayer, onEachFeature });
  }
  return L.geoJSON(collection, {
    style: () => style,
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { weight: 1, fillOpacity: 0.9, ...style }),
    onEachFeature,
  });
}

function hasShapes(layer) {
  return layer.getLayers().some((l) => typeof l.getLatLng !== "function");
}

/* map: folium's; groups: {id: folium group}; clusters: {id: folium marker cluster}. */
export function createOverlays({ map, groups, clusters }) {
  const drawn = {}; // id -> {layer, zoom}

  async function load(id) {
    const zoom = zoomOf(map);
    const params = { [P.limit]: 10000, [P.lang]: cfg.lang, [P.zoom]: zoom };
    const cluster = clusters[id];
    if (cluster && names(id).length) {
      params[P.properties] = names(id).join(","); // thousands of points: only their names
    }
    try {
      const { features } = await fetchAll(itemsUrl(id, params));
      const layer = overlayLayer(id, features, Boolean(cluster));
      if (cluster) {
        cluster.clearLayers();
        cluster.addLayers(layer.getLayers());
      } else {
        if (drawn[id]) {
          groups[id].removeLayer(drawn[id].layer);
        }
        groups[id].addLayer(layer);
      }
      drawn[id] = { layer, zoom };
    } catch {
      toast(`${t("error.load")}: ${t(`layer.${id}`)}`, true);
    }
  }

  for (const [id, group] of Object.entries(groups)) {
    group.on("add", () => drawn[id] || load(id));
    if (map.hasLayer(group)) {
      load(id);
    }
  }

  return {
    /* Reload the shown line and polygon overlays drawn at another zoom. */
    refresh() {
      const zoom = zoomOf(map);
      for (const [id, group] of Object.entries(groups)) {
        const now = drawn[id];
        const stale = now && now.zoom !== zoom && !clusters[id] && hasShapes(now.layer);
        if (stale && map.hasLayer(group)) {
          load(id);
        }
      }
    },
  };
}
