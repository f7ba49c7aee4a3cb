/*
 * How an action looks, on the map page, the tracker and the profile: its Leaflet style (the
 * colour of its status, from the page config), its places by name and its summary list
 * (pillar, agency, status, progress, places, partners). Calls no API.
 */
import { cfg, el, label, placeName, t } from "./page.js";

function statusOf(props) {
  return props.status || cfg.vocabulary.status_default;
}

/* Leaflet path options of an action feature. */
export function actionStyle(feature) {
  const status = statusOf(feature.properties || {});
  const colour = cfg.styles.statuses[status] || cfg.styles.statuses[cfg.vocabulary.status_default];
  return {
    color: colour,
    weight: 3,
    fillColor: colour,
    fillOpacity: 0.25,
    className: `ketahanan-action status-${status}`,
  };
}

/* A point action is a circle marker in its status colour (in `pane` when given). */
export function actionPoint(feature, latlng, pane = undefined) {
  return L.circleMarker(latlng, { radius: 8, ...actionStyle(feature), ...(pane ? { pane } : {}) });
}

/* "Penjaringan, Pluit" (and "+3" beyond five): the places an action touches, by name. */
export function placesText(props, most = 5) {
  const codes = props.unit_codes && props.unit_codes.length ? props.unit_codes
    : props.kelurahan || [];
  const names = codes.slice(0, most).map((k) => placeName(k));
  return codes.length > most ? `${names.join(", ")} +${codes.length - most}` : names.join(", ");
}

/* A <dl> of an action's properties, as text. */
export function actionSummary(props) {
  const progress = props.progress == null ? "" : `${props.progress}%`;
  const rows = [
    [t("action.pillar"), label("pillars", props.pillar)],
    [t("action.agency"), props.lead_agency],
    [t("action.status"), label("statuses", statusOf(props))],
    [t("action.progress"), progress],
    [t("action.places"), placesText(props)],
  ];
  if (props.partners && props.partners.length) {
    rows.push([t("action.partners_short"), props.partners.join(", ")]);
  }
  const list = el("dl", { className: "action-props" });
  for (const [name, value] of rows) {
    list.append(el("dt", { text: name }), el("dd", { text: value ?? "" }));
  }
  return list;
}
