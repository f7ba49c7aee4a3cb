/*
 * How an action looks, on the map page, the tracker and the profile: its Leaflet style (the
 * colour of its status, from the page config), its places by name and its summary list
 * (pillar, agency, status, progress, places, partners). Calls no API.
 */
import { cfg, el, label, placeName, t } from "./page.js";

/* A related initiative may have no status: it is "not known", never shown as planned. */
function statusOf(props) {
  return props.status || "unknown";
}

function statusLabel(props) {
  return props.status ? label("statuses", props.status) : t("status.unknown");
}

/* Leaflet path options of an action feature. */
export function actionStyle(feature) {
  const status = statusOf(feature.properties || {});
  const colour = cfg.styles.statuses[status] || cfg.styles.status_unknown;
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
    [t("action.status"), statusLabel(props)],
    [t("action.progress"), progress],
    [t("action.places"), placesText(props)],
  ];
  if (props.partners && props.partners.length) {
    rows.push([t("action.partners_short"), props.partners.join(", ")]);
  }
  if (props.kind && props.kind !== "action") {
    rows.unshift([t("action.kind"), t(`kind.${props.kind}`)]);
  }
  const list = el("dl", { className: "action-props" });
  for (const [name, value] of rows) {
    list.append(el("dt", { text: name }), el("dd", { text: value ?? "" }));
  }
  if (props.source_url) { // the server accepts only http(s) addresses here
    list.append(el("dt", { text: t("action.source") }),
      el("dd", {}, [el("a", { href: props.source_url, rel: "noreferrer", text: props.source_url })]));
  }
  return list;
}
