/*
 * The kelurahan profile's entry: draws the kelurahan (GET /collections/kelurahan/items/{kode})
 * on the small map and lists the actions touching it (GET /collections/actions/items
 * ?kelurahan={kode}), each also drawn on the map in its status colour.
 */
import { actionPoint, actionStyle, actionSummary } from "./action-view.js";
import { itemUrl, itemsUrl, request } from "./api.js";
import { cfg, el, t } from "./page.js";

const CENTRE = [-6.2, 106.83];

function profileMap() {
  const node = document.getElementById("profile-map");
  if (!node) {
    return null;
  }
  const map = L.map(node, { zoomControl: true, attributionControl: false, scrollWheelZoom: false });
  map.setView(CENTRE, 12);
  const style = { ...cfg.styles.profile_unit, className: "ketahanan-unit" };
  request(itemUrl(cfg.profileLevel, cfg.kode, { zoom: 15 })).then(({ data }) => {
    map.fitBounds(L.geoJSON(data, { style }).addTo(map).getBounds());
  }, () => undefined); // the table beside it still has every number
  return map;
}

async function listActions(map) {
  const list = document.getElementById("profile-actions");
  let features;
  try {
    ({ features } = (await request(itemsUrl("actions", { kelurahan: cfg.kode, limit: 500 }))).data);
  } catch {
    list.replaceChildren(el("li", { className: "muted", text: t("error.load") }));
    return;
  }
  list.replaceChildren();
  if (!features.length) {
    list.append(el("li", { className: "muted", text: t("action.none") }));
  }
  for (const feature of features) {
    const props = feature.properties;
    list.append(
      el("li", { className: "profile-action" }, [
        el("strong", { className: "action-title", text: props.title }),
        actionSummary(props),
      ]),
    );
    if (map && feature.geometry) {
      L.geoJSON(feature, { style: actionStyle, pointToLayer: actionPoint })
        .bindTooltip(() => el("span", { text: props.title }))
        .addTo(map);
    }
  }
}

listActions(profileMap());
