/*
 * The map page's entry (/peta). folium builds the Leaflet map and its empty layer groups;
 * this module finds them by the names web/pages.py puts in the page config, makes the panes
 * that keep the layers in order (context and choropleth under the overlays, coverage gaps
 * above them, actions on top of every thematic layer), then wires the modules that draw:
 * sign-in, panel, search, choropleth and unit popups, legend, context layer, overlays, gaps,
 * weights, downloads, actions layer and form, and the ranked table beside the map.
 */
import { createActionForm } from "./action-form.js";
import { ACTIONS_PANE, createActionsLayer } from "./actions-layer.js";
import { createSignIn } from "./auth.js";
import { CHOROPLETH_PANE, createChoropleth } from "./choropleth.js";
import { CONTEXT_PANE, createContext } from "./context.js";
import { createDownloads } from "./downloads.js";
import { GAPS_PANE, createGaps } from "./gaps.js";
import { createLegend } from "./legend.js";
import { createOverlays } from "./overlays.js";
import { cfg, t } from "./page.js";
import { createPanel } from "./panel.js";
import { createRankPanel } from "./rank-panel.js";
import { createSearch } from "./search.js";
import { createUnitOutlines } from "./unit-outlines.js";
import { unitPopup } from "./unit-popup.js";
import { createWeights } from "./weights.js";

const ZOOM_SETTLE_MS = 250;
const SMALL_SCREEN = "(max-width: 700px)";
/* z-index of each pane (Leaflet: tiles 200, overlays 400, markers 600, tooltips 650). */
const PANES = [[CONTEXT_PANE, 360], [CHOROPLETH_PANE, 350], [GAPS_PANE, 420],
  [ACTIONS_PANE, 640]];

/*
 * folium declares each object it builds as a top-level `var <name>` of its inline script,
 * which makes it a property of window; the config names the ones the modules draw on.
 */
function foliumObjects() {
  const byName = (name) => {
    if (!window[name]) {
      throw new Error(`folium object ${name} is not on the page`);
    }
    return window[name];
  };
  const each = (names) =>
    Object.fromEntries(Object.entries(names).map(([id, name]) => [id, byName(name)]));
  const { overlays, clusters, ...groups } = cfg.groups;
  return {
    map: byName(cfg.map),
    tiles: cfg.tiles ? byName(cfg.tiles) : null,
    ...each(groups), // context, choropleth, gaps, actions, drawn
    overlays: each(overlays),
    clusters: each(clusters),
  };
}

function makePanes(map) {
  for (const [name, z] of PANES) {
    const pane = map.createPane(name);
    pane.style.zIndex = String(z);
    pane.classList.add(name);
  }
}

/* The layer list: named in the page's language; folded to its button on a small screen. */
function layerList(map) {
  const box = map.getContainer().querySelector(".leaflet-control-layers");
  const link = box?.querySelector(".leaflet-control-layers-toggle");
  if (!box || !link) {
    return;
  }
  link.title = t("layer.list");
  link.setAttribute("aria-label", t("layer.list"));
  if (window.matchMedia(SMALL_SCREEN).matches) {
    const fold = () => box.classList.remove("leaflet-control-layers-expanded");
    fold();
    map.on("click movestart", fold);
  }
}

/* The side panel's button: show or hide the ranked table beside the map. */
function tableToggle(map) {
  const side = document.getElementById("ketahanan-side");
  return (button) => {
    side.hidden = !side.hidden;
    button.setAttribute("aria-expanded", String(!side.hidden));
    button.textContent = side.hidden ? t("rank.show") : t("rank.hide");
    document.body.classList.toggle("side-open", !side.hidden);
    map.invalidateSize();
  };
}

function start() {
  const folium = foliumObjects();
  const { map } = folium;
  document.body.classList.add("ketahanan-map-page");
  map.attributionControl.setPrefix(false);
  makePanes(map);
  createSignIn(document.getElementById("ketahanan-signin"));
  layerList(map);

  // The callbacks name modules made a few lines further down; they run only later.
  const form = createActionForm({ drawn: folium.drawn, onSaved: (f) => actions.show(f) });
  const slots = createPanel(map, { onTable: tableToggle(map) });
  const legend = createLegend(map);
  const refreshTable = () => {
    const loaded = choropleth.loaded();
    if (loaded) {
      table.render(loaded, (kode) => actions.count(kode));
    }
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
  const choropleth = createChoropleth({
    map,
    group: folium.choropleth,
    onLoaded: (loaded) => {
      legend.show(loaded);
      gaps.refresh();
      refreshTable();
    },
    onSelect: openUnit,
    onAddAction: (unit) => form.open(unit),
  });
  const table = createRankPanel(document.getElementById("ketahanan-side"), { onFocus: focus });
  const outlines = createUnitOutlines({ choropleth });
  const actions = createActionsLayer({
    map, group: folium.actions, outlines,
    onEdit: (feature, etag) => form.open({ feature, etag }),
    onChange: refreshTable,
  });
  createSearch(slots.search, { map, choropleth, onFound: focus });
  const gaps = createGaps(slots.gaps, { map, group: folium.gaps, choropleth, onFocus: focus });
  createWeights(slots.weights);
  createDownloads(slots.downloads);
  createContext({ map, group: folium.context, tiles: folium.tiles });
  const overlays = createOverlays({ map, groups: folium.overlays, clusters: folium.clusters });

  if (L.Draw && L.Draw.Event) {
    map.on(L.Draw.Event.CREATED, (ev) => form.open({ layer: ev.layer }));
    map.on(L.Draw.Event.DRAWSTART, () => map.getContainer().classList.add("drawing"));
    map.on(L.Draw.Event.DRAWSTOP, () => map.getContainer().classList.remove("drawing"));
  }
  let timer = null;
  map.on("zoomend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      choropleth.refresh();
      overlays.refresh();
    }, ZOOM_SETTLE_MS);
  });

  choropleth.load().then(() => cfg.focus && focus(cfg.focus));
  actions.load();
  window.ketahanan = { map, choropleth, actions, focus }; // for the browser tests and console
}

start();
