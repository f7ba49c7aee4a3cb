/*
 * The small map of one action's places in the tracker: its own geometry, or (an action given
 * by unit codes) each unit's outline from GET /collections/{level}/items/{kode} with a marker
 * at its representative point, in the action's status colour. No basemap: the unit outlines
 * are the context. One map, redrawn for each action shown.
 */
import { actionPoint, actionStyle } from "./action-view.js";
import { itemUrl, request } from "./api.js";
import { cfg, places } from "./page.js";
import { levelOf } from "./unit-outlines.js";

const CENTRE = [-6.2, 106.83];
const MOST_OUTLINES = 20;

export function createActionMap(node) {
  const map = L.map(node, { zoomControl: true, attributionControl: false, scrollWheelZoom: false });
  map.setView(CENTRE, 10);
  let drawn = L.featureGroup().addTo(map);

  async function outlines(codes, style) {
    const found = await Promise.all(codes.slice(0, MOST_OUTLINES).map((kode) =>
      request(itemUrl(levelOf(kode), kode, { zoom: 13, properties: "kode" }))
        .then(({ data }) => data, () => null)));
    for (const feature of found.filter(Boolean)) {
      L.geoJSON(feature, { style: { ...style, ...cfg.styles.unit_action } }).addTo(drawn);
    }
    for (const kode of codes.filter((k) => places[k])) {
      L.circleMarker([places[kode].lat, places[kode].lon], { radius: 6, ...style }).addTo(drawn);
    }
  }

  /* Draw an action's places and fit the map to them. */
  async function show(feature) {
    map.removeLayer(drawn);
    drawn = L.featureGroup().addTo(map);
    map.invalidateSize();
    const style = actionStyle(feature);
    if (feature.geometry) {
      L.geoJSON(feature, { style: () => style, pointToLayer: actionPoint }).addTo(drawn);
    } else {
      await outlines(feature.properties.unit_codes || [], style);
    }
    if (drawn.getLayers().length) {
      map.fitBounds(drawn.getBounds(), { maxZoom: 15, padding: [12, 12], animate: false });
    }
  }

  return { show };
}
