/*
 * Outlines of admin units by code, for actions given by unit codes: the units the choropleth
 * drew when it shows that level (no request), otherwise the level's outlines from
 * GET /collections/{level}/items (one request per level, kept). Also the unit's
 * representative point (from the page's places) for its marker. Draws nothing itself.
 */
import { P, fetchAll, itemsUrl } from "./api.js";
import { cfg, places } from "./page.js";

const OUTLINE_ZOOM = 12;

/* The level of a unit code (31.71 kota, 31.71.01 kecamatan, 31.71.01.1001 kelurahan). */
export function levelOf(kode) {
  return cfg.codeLevels[String(String(kode).split(".").length)] ?? null;
}

/* choropleth: gives the features it drew (for the page's own level). */
export function createUnitOutlines({ choropleth }) {
  const byLevel = {}; // level -> Promise of {kode: geometry}

  async function fetchLevel(level) {
    if (choropleth && level === cfg.level) {
      const loaded = await choropleth.ready;
      if (loaded) {
        return Object.fromEntries(loaded.features.map((f) => [f.properties.kode, f.geometry]));
      }
    }
    const url = itemsUrl(level, { [P.limit]: 1000, [P.zoom]: OUTLINE_ZOOM,
      [P.properties]: "kode" });
    const { features } = await fetchAll(url);
    return Object.fromEntries(features.map((f) => [f.properties.kode, f.geometry]));
  }

  /* The outline geometries of `codes` (unknown codes left out). */
  async function outlines(codes) {
    const found = [];
    for (const kode of codes) {
      const level = levelOf(kode);
      if (!level) {
        continue;
      }
      byLevel[level] ??= fetchLevel(level).catch(() => ({}));
      const geometry = (await byLevel[level])[kode];
      if (geometry) {
        found.push(geometry);
      }
    }
    return found;
  }

  /* Point geometries at the units' representative points (from the build). */
  function points(codes) {
    return codes.filter((k) => places[k]).map((k) => ({
      type: "Point", coordinates: [places[k].lon, places[k].lat],
    }));
  }

  return { outlines, points };
}
