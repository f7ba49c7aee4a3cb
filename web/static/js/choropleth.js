/*
 * The choropleth: every unit of the page's level from GET /collections/{level}/items, asked
 * for with classify/classify_by/k so that the server returns each unit's `class` and the
 * classification (breaks, counts). A unit is filled with cfg.styles.ramps[k][class]; the
 * script never works a class out itself, so the map always shows the server's classes.
 * A pillar score's *partial* units (too little data, the partial status of the config) have no class: they
 * are drawn hatched apart from the classes and "no data", their partial value and missing
 * inputs in the tooltip.
 * Tooltips; a click opens the kelurahan profile (or zooms to a kecamatan/kota); a right-click
 * on a kelurahan starts a new action for it. Reloaded when the zoom needs another
 * generalisation.
 */
import { P, fetchAll, itemsUrl, query, zoomOf } from "./api.js";
import { cfg, el, fmt, t, toast } from "./page.js";

const column = cfg.indicator.id;
const { partial, status, missing } = cfg.indicator;

function isPartial(props) {
  return Boolean(status) && props[status] === cfg.indicator.partial_status;
}

function unitStyle(props, ramp) {
  const cls = props.class;
  if ((cls === null || cls === undefined) && isPartial(props)) {
    return { ...cfg.styles.partial, className: "ketahanan-unit ketahanan-partial" };
  }
  if (cls === null || cls === undefined) {
    return { ...cfg.styles.nodata, className: "ketahanan-unit ketahanan-nodata" };
  }
  return { ...cfg.styles.unit, fillColor: ramp[cls], className: `ketahanan-unit class-${cls}` };
}

function tooltip(props) {
  return el("div", { className: "unit-tooltip" }, [
    el("strong", { text: props.nama || "" }),
    el("div", { text: `${t("tooltip.code")}: ${props.kode || ""}` }),
    isPartial(props)
      ? el("div", { text: `${t("tooltip.partial")}: ${fmt(props[partial])}` })
      : el("div", { text: `${t("tooltip.value")}: ${fmt(props[column])}` }),
    missing && props[missing] ? el("div", { text: `${t("tooltip.missing")}: ${props[missing]}` }) : null,
    el("div", { text: `${t("tooltip.unit")}: ${cfg.indicator.unit || "–"}` }),
    cfg.profiles ? el("div", { className: "muted", text: t("tooltip.open_profile") }) : null,
  ]);
}

function itemsQuery(zoom) {
  return {
    [P.limit]: 1000,
    [P.zoom]: zoom,
    [P.properties]: ["kode", "nama", column, "class", partial, status, missing].filter(Boolean).join(","),
    [P.classify]: cfg.classification,
    [P.classify_property]: column,
    [P.k]: cfg.k,
    [P.lang]: cfg.lang,
  };
}

/*
 * map, group: folium's; onLoaded({classification, ramp, values, missing, partial}) after each
 * load;
 * onAddAction({unitCode, unitName}) on a right-click.
 */
export function createChoropleth({ map, group, onLoaded, onAddAction }) {
  let layer = null;
  let byCode = {};
  let loadedZoom = null;

  function bind(feature, unit) {
    const props = feature.properties;
    byCode[props.kode] = unit;
    unit.bindTooltip(() => tooltip(props), { sticky: true });
    unit.on("click", () => {
      if (cfg.profiles) {
        const profile = `/kelurahan/${encodeURIComponent(props.kode)}`;
        window.location.href = profile + query({ lang: cfg.lang });
      } else {
        map.fitBounds(unit.getBounds());
      }
    });
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
      const { features, first } = await fetchAll(itemsUrl(cfg.level, itemsQuery(zoom)));
      const { classification } = first;
      const ramp = cfg.styles.ramps[String(classification.k)];
      byCode = {};
      const next = L.geoJSON({ type: "FeatureCollection", features }, {
        style: (feature) => unitStyle(feature.properties, ramp),
        onEachFeature: bind,
      });
      if (layer) {
        group.removeLayer(layer);
      }
      layer = next;
      loadedZoom = zoom;
      group.addLayer(layer);
      onLoaded({
        classification,
        ramp,
        values: features.map((f) => f.properties[column]),
        missing: features.filter((f) => f.properties.class === null && !isPartial(f.properties)).length,
        partial: features.filter((f) => isPartial(f.properties)).length,
      });
      document.body.setAttribute("data-choropleth", "ready");
      document.body.setAttribute("data-units", String(features.length));
    } catch (err) {
      document.body.setAttribute("data-choropleth", "error");
      toast(`${t("error.load")}: ${err.message}`, true);
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
  };
}
