/*
 * The choropleth: every unit of the page's level from GET /collections/{level}/items (or, when
 * the page config names a `source`, from that collection with its filters: the impact layers
 * hold every level, picked with tingkat=<level>), asked for as the page's class plan says
 * (classify/classify_by/k, or one user break, or no classes when no unit has a value) and with
 * the page's weights, so the server returns each unit's `class` and the classification
 * (breaks, counts). A unit is filled with cfg.styles.ramps[k][class]; the script never works a
 * class out itself. A pillar score's *partial* units (too little data, the partial status of
 * the config) have no class: they are drawn hatched apart from the classes and "no data",
 * their partial value and missing inputs in the tooltip. Drawn in its own pane below the
 * overlays and the actions. A click opens the unit's popup (onSelect), a right-click on a
 * kelurahan starts a new action for it. Reloaded when the zoom needs another
 * generalisation.
 */
import { P, fetchAll, itemsUrl, zoomOf } from "./api.js";
import { cfg, el, fmt, t, toast } from "./page.js";
import { CHOROPLETH_PANE } from "./panes.js";

const column = cfg.indicator.id;
const { partial, status, missing } = cfg.indicator;
const source = cfg.source || { collection: cfg.level, filters: {} };

function isPartial(props) {
  return Boolean(status) && props[status] === cfg.indicator.partial_status;
}

function unitStyle(props, ramp) {
  const cls = props.class;
  if ((cls === null || cls === undefined) && isPartial(props)) {
    return { ...cfg.styles.partial, className: "ketahanan-unit ketahanan-partial" };
  }
  if (cls === null || cls === undefined || !ramp) {
    return { ...cfg.styles.nodata, className: "ketahanan-unit ketahanan-nodata" };
  }
  return { ...cfg.styles.unit, fillColor: ramp[cls], className: `ketahanan-unit class-${cls}` };
}

function tooltip(props) {
  const unit = cfg.indicator.unit && !cfg.indicator.score ? ` ${cfg.indicator.unit}` : "";
  const value = props[column] === null || props[column] === undefined ? fmt(null)
    : `${fmt(props[column])}${unit}`;
  return el("div", { className: "unit-tooltip" }, [
    el("strong", { text: props.nama || "" }),
    isPartial(props)
      ? el("div", { text: `${cfg.indicator.name} (${t("tooltip.partial")}): ${fmt(props[partial])}` })
      : el("div", { text: `${cfg.indicator.name}: ${value}` }),
    missing && props[missing] ? el("div", { text: `${t("tooltip.missing")}: ${props[missing]}` }) : null,
    el("div", { className: "muted", text: t("tooltip.click_for_detail") }),
  ]);
}

/* The items query of the map's classes (the server's class plan) and weights. */
export function classifyParams() {
  return { [P.weights]: cfg.weights, [P.lang]: cfg.lang, ...cfg.plan.query };
}

function itemsQuery(zoom) {
  const props = ["kode", "nama", column, ...(cfg.plan.method ? ["class"] : []), partial, status,
    missing].filter(Boolean);
  return { [P.limit]: 1000, [P.zoom]: zoom, [P.properties]: props.join(","), ...classifyParams(),
    ...source.filters };
}

/*
 * map, group: folium's; onLoaded({classification, ramp, features, missing, partial}) after
 * each load; onSelect(feature, layer, latlng) on a click; onAddAction({unitCode, unitName}) on
 * a right-click.
 */
export function createChoropleth({ map, group, onLoaded, onSelect, onAddAction }) {
  let layer = null;
  let byCode = {};
  let loadedZoom = null;
  let loaded = null;
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));

  function bind(feature, unit) {
    const props = feature.properties;
    byCode[props.kode] = unit;
    unit.bindTooltip(() => tooltip(props), { sticky: true });
    unit.on("click", (ev) => onSelect(feature, unit, ev.latlng));
    unit.on("contextmenu", (ev) => {
      L.DomEvent.preventDefault(ev.originalEvent);
      if (cfg.profiles) {
        onAddAction({ unitCode: props.kode, unitName: props.nama });
      }
    });
  }

  async function load() {
    const zoom = zoomOf(map);
    document.body.setAttribute("data-choropleth", "loading");
    try {
      // The first load asks for the URL the page preloads (same text, so the preload serves it).
      const url = loadedZoom === null && zoom === cfg.startZoom ? cfg.firstUrl
        : itemsUrl(source.collection, itemsQuery(zoom));
      const { features, first } = await fetchAll(url);
      const classification = first.classification || null;
      const ramp = classification ? cfg.styles.ramps[String(classification.k)] : null;
      byCode = {};
      const next = L.geoJSON({ type: "FeatureCollection", features }, {
        pane: CHOROPLETH_PANE,
        style: (feature) => unitStyle(feature.properties, ramp),
        onEachFeature: bind,
      });
      if (layer) {
        group.removeLayer(layer);
      }
      layer = next;
      loadedZoom = zoom;
      group.addLayer(layer);
      const missingCount = features.filter((f) => f.properties.class == null
        && !isPartial(f.properties)).length;
      const partialCount = features.filter((f) => isPartial(f.properties)).length;
      loaded = { classification, ramp, features, missing: missingCount, partial: partialCount };
      onLoaded(loaded);
      markReady(loaded);
      document.body.setAttribute("data-choropleth", "ready");
      document.body.setAttribute("data-units", String(features.length));
    } catch (err) {
      document.body.setAttribute("data-choropleth", "error");
      toast(`${t("error.load")}: ${t("layer.choropleth")}`, true);
      markReady(null);
    }
  }

  return {
    load,
    /* Reload when the zoom now needs another generalisation than the one drawn. */
    refresh() {
      if (loadedZoom !== null && zoomOf(map) !== loadedZoom) {
        load();
      }
    },
    /* The drawn unit (Leaflet layer) of a code, or null. */
    unit: (kode) => byCode[kode] ?? null,
    /* What the last load drew: {classification, ramp, features, missing}, or null. */
    loaded: () => loaded,
    /* Resolves after the first load (with what it drew, or null when it failed). */
    ready,
  };
}
