/*
 * The kelurahan profile's entry: draws the kelurahan (GET /collections/kelurahan/items/{kode})
 * on the small map and lists the actions touching it (GET /collections/actions/items
 * ?kelurahan={kode}), each also drawn on the map in its status colour, with a link to it in
 * the tracker and its comment thread (loaded when opened; a signed-in planner adds to it).
 */
import { showComments } from "./action-comments.js";
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
    const thread = el("div", { className: "comment-thread" });
    const comments = el("details", { className: "profile-comments" }, [
      el("summary", { text: t("comments.title") }), thread]);
    comments.addEventListener("toggle", () => {
      if (comments.open) {
        showComments(thread, feature.id);
      }
    });
    const tracker = `/aksi?${new URLSearchParams({ id: feature.id, lang: cfg.lang })}`;
    list.append(
      el("li", { className: "profile-action", "data-id": feature.id }, [
        el("a", { className: "action-title", href: tracker, text: props.title }),
        actionSummary(props),
        comments,
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
