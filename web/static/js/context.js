/*
 * The offline context layer: kota and kecamatan outlines, waterways, rail lines and the
 * coastline, drawn from the build (GET /peta/konteks) in their own pane, under the overlays
 * and not clickable. It is the background when the page has no basemap; when the basemap's
 * tiles fail (offline, or the tile server is down) the page says so once, stops asking for
 * tiles and shows this layer instead.
 */
import { query, request } from "./api.js";
import { cfg, el, t } from "./page.js";
import { CONTEXT_PANE } from "./panes.js";

const FAILURES_BEFORE_GIVING_UP = 3;

function notice(map, text) {
  const close = el("button", { type: "button", className: "notice-close",
    "aria-label": t("notice.close"), text: "×" });
  const box = el("div", { id: "ketahanan-notice", className: "ketahanan-notice", role: "status" },
    [el("span", { text }), close]);
  close.addEventListener("click", () => box.remove());
  map.getContainer().append(box);
}

/* map, group, tiles: folium's (tiles is null when the page has no basemap). */
export function createContext({ map, group, tiles }) {
  let drawing = null;

  function draw() {
    drawing ??= request(`/peta/konteks${query({ lang: cfg.lang })}`)
      .then(({ data }) => {
        const layer = L.geoJSON(data, {
          pane: CONTEXT_PANE,
          interactive: false,
          style: (f) => ({ ...cfg.styles.context[f.properties.kind],
            className: `context-${f.properties.kind}` }),
        });
        group.addLayer(layer);
        document.body.setAttribute("data-context", String(data.features.length));
      })
      .catch(() => document.body.setAttribute("data-context", "error"));
    return drawing;
  }

  group.on("add", draw);
  if (map.hasLayer(group)) {
    draw();
  }
  if (!tiles) {
    document.body.setAttribute("data-basemap", "none");
    return;
  }
  // folium adds the tiles before this module runs: tiles that already failed (or loaded)
  // are counted from the layer's own state (Leaflet marks a loaded tile's element with
  // leaflet-tile-loaded; a failed one is done without it), the rest from the events
  const done = Object.values(tiles._tiles || {}).filter((tile) => tile.loaded);
  let loads = done.filter((tile) => tile.el.classList.contains("leaflet-tile-loaded")).length;
  let failures = done.length - loads;
  let gaveUp = false;
  function giveUpWhenFailing() {
    if (gaveUp || loads > 0 || failures < FAILURES_BEFORE_GIVING_UP) {
      return;
    }
    gaveUp = true;
    map.removeLayer(tiles); // no more requests that cannot succeed
    map.addLayer(group);
    notice(map, t("map.tiles_failed"));
    document.body.setAttribute("data-basemap", "failed");
  }
  tiles.on("tileload", () => {
    loads += 1;
  });
  tiles.on("tileerror", () => {
    failures += 1;
    giveUpWhenFailing();
  });
  giveUpWhenFailing();
}
