/*
 * Coverage gaps: the panel's toggle and a dashed outline around every kelurahan that
 * GET /coverage-gaps?pilar={pillar} returns (top-quintile score of the pillar and no planned
 * or in-progress action of it). A kelurahan drawn on the choropleth is outlined with its
 * drawn shape; otherwise (kecamatan or kota maps) with the gap feature's own geometry.
 */
import { query, request } from "./api.js";
import { cfg, el, t } from "./page.js";

/* slot: the panel's; map, group: folium's; choropleth: gives drawn units by code. */
export function createGaps(slot, { map, group, choropleth }) {
  const box = el("input", { type: "checkbox", id: "ketahanan-gaps" });
  const info = el("p", { id: "ketahanan-gaps-info", className: "muted" });
  box.addEventListener("change", () => {
    if (box.checked) {
      map.addLayer(group);
    } else {
      map.removeLayer(group);
    }
  });
  const text = el("span", { text: t("gaps.toggle") });
  slot.append(el("label", { className: "toggle" }, [box, text]), info);

  async function draw() {
    group.clearLayers();
    let features;
    try {
      ({ features } = (await request(`/coverage-gaps${query({ pilar: cfg.pillar })}`)).data);
    } catch {
      info.textContent = t("error.load");
      return;
    }
    info.textContent = features.length ? `${features.length} ${t("gaps.count")}` : t("gaps.none");
    const outlines = features.map((f) => choropleth.unit(f.id)?.feature ?? f);
    const style = { ...cfg.styles.gap, className: "ketahanan-gap" };
    const collection = { type: "FeatureCollection", features: outlines };
    group.addLayer(L.geoJSON(collection, { style, interactive: false }));
  }

  group.on("add", () => {
    box.checked = true;
    draw();
  });
  group.on("remove", () => {
    box.checked = false;
    info.textContent = "";
  });

  return {
    /* Draw again (after the choropleth changed) when the gaps are shown. */
    refresh() {
      if (map.hasLayer(group)) {
        draw();
      }
    },
  };
}
