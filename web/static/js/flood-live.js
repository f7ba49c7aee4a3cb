/*
 * The flood feed on the map: a toggle in the gaps section; when on, the RWs of the latest good
 * fetch of the flood feed (GET /collections/flood_live/items) filled by their state (1 unknown
 * depth, 2 = 10-70 cm, 3 = 71-150 cm, 4 = over 150 cm), and a line saying when that state was
 * fetched and how old it is, marked stale (with the last fetch's error) when the feed failed
 * since or the state is older than the server's stale limit. Reloaded every minute while on.
 */
import { query, request } from "./api.js";
import { cfg, el, fmtTime, t } from "./page.js";
import { GAPS_PANE } from "./panes.js";

const RELOAD_MS = 60_000;

function ageText(seconds) {
  if (seconds === null || seconds === undefined) {
    return "–";
  }
  if (seconds < 120) {
    return `${Math.round(seconds)} ${t("flood.seconds")}`;
  }
  if (seconds < 7200) {
    return `${Math.round(seconds / 60)} ${t("flood.minutes")}`;
  }
  return `${Math.round(seconds / 3600)} ${t("flood.hours")}`;
}

/* slot: the panel's; map: Leaflet's. */
export function createFloodLive(slot, { map }) {
  const group = L.layerGroup();
  const box = el("input", { type: "checkbox", id: "ketahanan-flood-live" });
  const info = el("p", { id: "ketahanan-flood-live-info", className: "muted", "aria-live": "polite" });
  const text = el("span", { text: t("flood.toggle") });
  slot.append(el("label", { className: "toggle", for: box.id }, [box, text]), info);
  let timer = null;

  async function draw() {
    let body;
    try {
      body = (await request(`/collections/flood_live/items${query({ limit: 10000 })}`)).data;
    } catch {
      info.textContent = t("error.load");
      return;
    }
    group.clearLayers();
    const feed = body.feed || {};
    const parts = [];
    if (feed.fetched_at) {
      parts.push(`${body.numberMatched} ${t("flood.rw")} · ${t("flood.fetched")} ${fmtTime(feed.fetched_at)}`
        + ` (${ageText(feed.age_seconds)} ${t("flood.ago")})`);
    } else {
      parts.push(t("flood.none"));
    }
    if (feed.stale) {
      parts.push(t("flood.stale"));
    }
    if (feed.error) {
      parts.push(`${t("flood.error")}: ${feed.error}`);
    }
    info.textContent = parts.join(" — ");
    info.classList.toggle("stale", Boolean(feed.stale));
    document.body.setAttribute("data-flood-live", String(body.numberMatched));
    const look = cfg.styles.flood_live;
    const fills = cfg.styles.flood_states;
    const style = (f) => ({ color: look.color, weight: look.weight,
      fillOpacity: feed.stale ? look.staleFillOpacity : look.fillOpacity,
      fillColor: fills[String(f.properties.state)] || fills["1"],
      dashArray: feed.stale ? look.staleDashArray : null });
    group.addLayer(L.geoJSON(body, { style, pane: GAPS_PANE,
      onEachFeature: (f, layer) => layer.bindTooltip(
        `${f.properties.rw || ""} ${f.properties.nama_kelurahan_sumber || ""}: ${f.properties.depth_class || ""}`) }));
  }

  box.addEventListener("change", () => {
    clearInterval(timer);
    if (box.checked) {
      map.addLayer(group);
      draw();
      timer = setInterval(draw, RELOAD_MS);
    } else {
      map.removeLayer(group);
      info.textContent = "";
    }
  });
}
