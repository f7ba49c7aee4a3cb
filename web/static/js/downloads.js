/*
 * Downloads of what is on screen: the level's units with the map's classes, weights and
 * language as CSV, GeoJSON, GeoPackage, or a bundle for QGIS (GeoPackage + .qml + SLD +
 * README), all from GET /collections/{level}/items (on the impact map, from its impact layer
 * at the page's level) with the map's own query and f=...; and
 * the pillar's actions as GeoJSON. The ranking page's links carry its kota/kecamatan filter
 * too (extra). Calls no API itself: the links do, when followed.
 */
import { P, itemsUrl } from "./api.js";
import { classifyParams } from "./choropleth.js";
import { cfg, el, t } from "./page.js";

const FORMATS = ["csv", "geojson", "gpkg", "zip"];

/* The rows in the ranking's order: the most exposed first. */
function rankOrder() {
  return `${cfg.indicator.higherIsWorse === false ? "" : "-"}${cfg.indicator.id}`;
}

/* The download URL of the map's units in `format` (extra: more filters, e.g. kode_kota). */
export function downloadUrl(format, extra = {}) {
  // the impact map's units come from its impact layer, filtered to the page's level
  const source = cfg.source || { collection: cfg.level, filters: {} };
  return itemsUrl(source.collection, { ...classifyParams(), ...source.filters, ...extra,
    [P.sortby]: rankOrder(), [P.format]: format });
}

/* Fill `slot` with the download links (a <details> section of the panel). */
export function createDownloads(slot, extra = {}) {
  const links = FORMATS.map((format) => el("li", {}, [
    el("a", { href: downloadUrl(format, extra), download: "", "data-format": format,
      className: `download-${format}`, text: t(`download.${format}`) }),
  ]));
  const actions = el("a", {
    href: itemsUrl("actions", { pillar: cfg.pillar, [P.format]: "geojson" }),
    download: "", className: "download-actions", text: t("download.actions"),
  });
  const box = el("details", { className: "panel-section", id: "downloads-panel" }, [
    el("summary", { text: t("download.title") }),
    el("p", { className: "muted", text: t("download.help") }),
    el("ul", { className: "download-list" }, [...links, el("li", {}, [actions])]),
  ]);
  slot.append(box);
}
