/*
 * The map page's entry (/peta), the critical path to the first paint of the choropleth.
 * folium builds the Leaflet map and its empty layer groups; this module finds them by the
 * names web/pages.py puts in the page config, makes the panes that keep the layers in order
 * (context and choropleth under the overlays, coverage gaps above them, actions on top of
 * every thematic layer), and draws the panel, legend, context layer and choropleth. Everything
 * else a planner works with (sign-in, popups, search, actions, gaps, weights, downloads, the
 * ranked table, overlays) comes with ./map-workspace.js, imported once the map is painted.
 */
import { createChoropleth } from "./choropleth.js";
import { createContext } from "./context.js";
import { createLegend } from "./legend.js";
import { cfg, t } from "./page.js";
import { createPanel } from "./panel.js";
import { PANES } from "./panes.js";

const SMALL_SCREEN = "(max-width: 700px)";

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
function tableToggle(map, refresh) {
  const side = document.getElementById("ketahanan-side");
  return (button) => {
    side.hidden = !side.hidden;
    refresh();
    button.setAttribute("aria-expanded", String(!side.hidden));
    button.textContent = side.hidden ? t("rank.show") : t("rank.hide");
    document.body.classList.toggle("side-open", !side.hidden);
    map.invalidateSize();
  };
}

/* Leaflet's own controls in the page's language; a metric scale. */
function mapControls(map) {
  map.attributionControl.setPrefix(false);
  const zoom = map.zoomControl;
  for (const [button, key] of [[zoom?._zoomInButton, "control.zoom_in"],
    [zoom?._zoomOutButton, "control.zoom_out"]]) {
    button?.setAttribute("title", t(key));
    button?.setAttribute("aria-label", t(key));
  }
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
}

function start() {
  const folium = foliumObjects();
  const { map } = folium;
  document.body.classList.add("ketahanan-map-page");
  mapControls(map);
  makePanes(map);
  layerList(map);
  let workspace = null; // the later modules, once loaded
  const early = []; // what a planner did before they loaded (a click on a unit), replayed then
  const later = (name) => (...args) => {
    if (workspace) {
      workspace[name](...args);
    } else {
      early.push([name, args]);
    }
  };
  const toggle = tableToggle(map, later("refreshTable"));
  const slots = createPanel(map, {
    onTable: (button) => {
      toggle(button);
      if (window.matchMedia(SMALL_SCREEN).matches) {
        slots.fold(); // on a phone the table and the map share the screen, not the panel
      }
    },
  });
  const legend = createLegend(map);
  const choropleth = createChoropleth({
    map,
    group: folium.choropleth,
    onLoaded: (loaded) => {
      legend.show(loaded);
      workspace?.choroplethChanged();
    },
    onSelect: later("openUnit"),
    onAddAction: later("addAction"),
  });
  createContext({ map, group: folium.context, tiles: folium.tiles });
  window.ketahanan = { map, choropleth }; // for the browser tests and the console
  choropleth.load().then(async () => {
    const { startWorkspace } = await import("./map-workspace.js");
    workspace = startWorkspace({ folium, map, choropleth, slots });
    Object.assign(window.ketahanan, workspace.handles);
    early.splice(0).forEach(([name, args]) => workspace[name](...args));
    const { createFloodReplay } = await import("./flood-replay.js");
    window.ketahanan.replay = createFloodReplay({ map, actions: workspace.handles.actions,
      onOpen: slots.fold });
    document.body.setAttribute("data-workspace", "ready");
  });
}

start();
