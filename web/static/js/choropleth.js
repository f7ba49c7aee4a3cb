/*
 * The choropleth: every unit of the page's level from GET /collections/{level}/items (or, when
 * the page config names a `source`, from that collection with its filters: the impact layers
 * hold every level, picked with tingkat=<level>), asked
 * for with classify/classify_by/k so that the server returns each unit's `class` and the
 * classification (breaks, counts). A unit is filled with cfg.styles.ramps[k][class]; the
 * script never works a class out itself, so the map always shows the server's classes.
 * Tooltips; a click opens the kelurahan profile (or zooms to a kecamatan/kota); a right-click
 * on a kelurahan starts a new action for it. Reloaded when the zoom needs another
 * generalisation.
 */
import { P, fetchAll, itemsUrl, query, zoomOf } from "./api.js";
import { cfg, el, fmt, t, toast } from "./page.js";

const column = cfg.indicator.id;
const source = cfg.source || { collection: cfg.level, filters: {} };

function unitStyle(cls, ramp) {
  if (cls === null || cls === undefined) {
    return { ...cfg.styles.nodata, className: "ketahanan-unit ketahanan-nodata" };
  }
  return { ...cfg.styles.unit, fillColor: ramp[cls], className: `ketahanan-unit class-${cls}` };
}

function tooltip(props) {
  return el("div", { className: "unit-tooltip" }, [
    el("strong", { text: props.nama || "" }),
    el("div", { text: `${t("tooltip.code")}: ${props.kode || ""}` }),
    el("div", { text: `${t("tooltip.value")}: ${fmt(props[column])}` }),
    el("div", { text: `${t("tooltip.unit")}: ${cfg.indicator.unit || "–"}` }),
    cfg.profiles ? el("div", { className: "muted", text: t("tooltip.open_profile") }) : null,
  ]);
}

function itemsQuery(zoom) {
  return {
    [P.limit]: 1000,
    [P.zoom]: zoom,
    [P.properties]: ["kode", "nama", column, "class"].join(","),
    [P.classify]: cfg.classification,
    [P.classify_property]: column,
    [P.k]: cfg.k,
    [P.lang]: cfg.lang,
    ...source.filters,
  };
}

/*
 * map, group: folium's; onLoaded({classification, ramp, values, missing}) after each load;
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
      const { features, first } = await fetchAll(itemsUrl(source.collection, itemsQuery(zoom)));
      const { classification } = first;
      const ramp = cfg.styles.ramps[String(classification.k)];
      byCode = {};
      const next = L.geoJSON({ type: "FeatureCollection", features }, {
        style: (feature) => unitStyle(feature.properties.class, ramp),
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
        missing: features.filter((f) => f.properties.class === null).length,
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
