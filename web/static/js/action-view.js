/*
 * How an action looks, on the map page and on the profile: its Leaflet style (the colour of
 * its status, from the page config) and its summary list (pillar, agency, status, progress,
 * partners). Calls no API.
 */
import { cfg, el, label, t } from "./page.js";

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

/* A point action is a circle marker in its status colour. */
export function actionPoint(feature, latlng) {
  return L.circleMarker(latlng, { radius: 8, ...actionStyle(feature) });
}

/* A <dl> of an action's properties, as text. */
export function actionSummary(props) {
  const progress = props.progress == null ? "" : `${props.progress}%`;
  const rows = [
    [t("action.pillar"), label("pillars", props.pillar)],
    [t("action.agency"), props.lead_agency],
    [t("action.status"), label("statuses", statusOf(props))],
    [t("action.progress"), progress],
  ];
  if (props.partners && props.partners.length) {
    rows.push([t("action.partners"), props.partners.join(", ")]);
  }
  const list = el("dl", { className: "action-props" });
  for (const [name, value] of rows) {
    list.append(el("dt", { text: name }), el("dd", { text: value ?? "" }));
  }
  return list;
}
