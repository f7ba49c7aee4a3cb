/*
 * The map page's entry (/peta). folium builds the Leaflet map and its empty layer groups;
 * this module finds them by the names web/pages.py puts in the page config, then wires the
 * modules that draw on them: panel, search, choropleth, legend, overlays, coverage gaps,
 * actions layer and action form. Calls no API itself.
 */
import { createActionForm } from "./action-form.js";
import { createActionsLayer } from "./actions-layer.js";
import { createChoropleth } from "./choropleth.js";
import { createGaps } from "./gaps.js";
import { createLegend } from "./legend.js";
import { createOverlays } from "./overlays.js";
import { cfg } from "./page.js";
import { createPanel } from "./panel.js";
import { createSearch } from "./search.js";

const ZOOM_SETTLE_MS = 250;

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
    ...each(groups), // choropleth, gaps, actions, drawn
    overlays: each(overlays),
    clusters: each(clusters),
  };
}

function start() {
  const folium = foliumObjects();
  const { map } = folium;
  document.body.classList.add("ketahanan-map-page");
  map.attributionControl.setPrefix(false);

  // The callbacks name modules made a few lines further down; they run only later.
  const form = createActionForm({
    drawn: folium.drawn,
    onSaved: (feature) => actions.show(feature),
  });
  const actions = createActionsLayer({
    map,
    group: folium.actions,
    onEdit: (feature, etag) => form.open({ feature, etag }),
  });
  const slots = createPanel(map);
  const legend = createLegend(map);
  const choropleth = createChoropleth({
    map,
    group: folium.choropleth,
    onLoaded: (loaded) => {
      legend.show(loaded);
      gaps.refresh();
    },
    onAddAction: (unit) => form.open(unit),
  });
  createSearch(slots.search, { map, choropleth });
  const gaps = createGaps(slots.gaps, { map, group: folium.gaps, choropleth });
  const overlays = createOverlays({ map, groups: folium.overlays, clusters: folium.clusters });

  if (L.Draw && L.Draw.Event) {
    map.on(L.Draw.Event.CREATED, (ev) => form.open({ layer: ev.layer }));
  }
  let timer = null;
  map.on("zoomend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      choropleth.refresh();
      overlays.refresh();
    }, ZOOM_SETTLE_MS);
  });

  choropleth.load();
  actions.load();
  window.ketahanan = { map, choropleth, actions }; // for the browser tests and the console
}

start();
