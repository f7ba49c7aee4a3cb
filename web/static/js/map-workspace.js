/*
 * What a planner works with on the map, wired once the choropleth is painted (map-page.js
 * imports this module then, so it does not delay the first paint): sign-in, the unit popups,
 * search, the actions layer and form, coverage gaps, weights, downloads, the ranked table
 * beside the map and the overlays, kept in step with each other and with the choropleth.
 */
import { createActionForm } from "./action-form.js";
import { createActionsLayer } from "./actions-layer.js";
import { createSignIn } from "./auth.js";
import { createDownloads } from "./downloads.js";
import { createFloodLive } from "./flood-live.js";
import { createGaps } from "./gaps.js";
import { createOverlays } from "./overlays.js";
import { cfg } from "./page.js";
import { createRankPanel } from "./rank-panel.js";
import { createSearch } from "./search.js";
import { createUnitOutlines } from "./unit-outlines.js";
import { unitPopup } from "./unit-popup.js";
import { createWeights } from "./weights.js";

const ZOOM_SETTLE_MS = 250;
const TABLE_SETTLE_MS = 60;
const SMALL_SCREEN = "(max-width: 700px)";

/* folium: the page's folium objects; slots: the panel's; returns the page's handlers. */
export function startWorkspace({ folium, map, choropleth, slots }) {
  createSignIn(document.getElementById("ketahanan-signin"));
  const side = document.getElementById("ketahanan-side");
  const form = createActionForm({ drawn: folium.drawn, onSaved: (f) => actions.show(f) });
  let tableTimer = null;
  const refreshTable = () => { // drawn when shown, again (once) whenever the map changes
    clearTimeout(tableTimer);
    tableTimer = setTimeout(() => {
      const loaded = choropleth.loaded();
      if (loaded && !side.hidden) {
        table.render(loaded, (kode) => actions.count(kode));
      }
    }, TABLE_SETTLE_MS);
  };
  const openUnit = (feature, layer, latlng) => {
    const content = unitPopup(feature, choropleth.loaded(), actions.count(feature.properties.kode),
      { onAddAction: (unit) => { map.closePopup(); form.open(unit); },
        onZoom: () => map.fitBounds(layer.getBounds(), { maxZoom: 15 }) });
    map.openPopup(content, latlng || layer.getBounds().getCenter(), { maxWidth: 320 });
    table.mark(feature.properties.kode);
  };
  const focus = (kode) => {
    const layer = choropleth.unit(kode);
    if (layer) {
      map.fitBounds(layer.getBounds(), { maxZoom: 15 });
      openUnit(layer.feature, layer, layer.getBounds().getCenter());
      if (window.matchMedia(SMALL_SCREEN).matches) {
        slots.fold();
      }
    }
  };
  const table = createRankPanel(side, { onFocus: focus });
  const actions = createActionsLayer({
    map, group: folium.actions, outlines: createUnitOutlines({ choropleth }),
    onEdit: (feature, etag) => form.open({ feature, etag }),
    onChange: refreshTable,
  });
  createSearch(slots.search, { map, choropleth, onFound: focus });
  const gaps = createGaps(slots.gaps, { map, group: folium.gaps, choropleth, onFocus: focus });
  createFloodLive(slots.gaps, { map });
  createWeights(slots.weights);
  createDownloads(slots.downloads);
  const overlays = createOverlays({ map, groups: folium.overlays, clusters: folium.clusters });

  if (L.Draw && L.Draw.Event) {
    map.on(L.Draw.Event.CREATED, (ev) => form.open({ layer: ev.layer }));
    map.on(L.Draw.Event.DRAWSTART, () => map.getContainer().classList.add("drawing"));
    map.on(L.Draw.Event.DRAWSTOP, () => map.getContainer().classList.remove("drawing"));
  }
  let timer = null;
  map.on("zoomend", () => {
    clearTimeout(timer);
    // the reload waits for the zoom to settle; tests and screenshots wait for this mark to go
    document.body.setAttribute("data-zoom-pending", "1");
    timer = setTimeout(() => {
      document.body.removeAttribute("data-zoom-pending");
      choropleth.refresh();
      overlays.refresh();
    }, ZOOM_SETTLE_MS);
  });
  actions.load();
  if (cfg.focus) {
    focus(cfg.focus);
  }
  return {
    openUnit,
    refreshTable,
    addAction: (unit) => form.open(unit),
    choroplethChanged: () => {
      gaps.refresh();
      refreshTable();
    },
    handles: { actions, focus }, // for the browser tests and the console
  };
}
