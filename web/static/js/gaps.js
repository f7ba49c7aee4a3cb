/*
 * Coverage gaps: the panel's toggle, a dashed outline around every kelurahan that
 * GET /coverage-gaps?pilar={pillar} returns (top-quintile score of the pillar and no planned
 * or in-progress action of it), and the list of them by name (a name focuses it on the map).
 * A kelurahan drawn on the choropleth is outlined with its drawn shape; otherwise (kecamatan
 * or kota maps) with the gap feature's own geometry. Drawn in their own pane, not clickable.
 */
import { query, request } from "./api.js";
import { cfg, el, t } from "./page.js";
import { GAPS_PANE } from "./panes.js";

/* slot: the panel's; map, group: folium's; choropleth: drawn units; onFocus(kode). */
export function createGaps(slot, { map, group, choropleth, onFocus }) {
  const box = el("input", { type: "checkbox", id: "ketahanan-gaps" });
  const info = el("p", { id: "ketahanan-gaps-info", className: "muted", "aria-live": "polite" });
  const names = el("ol", { id: "ketahanan-gaps-list", className: "gaps-list" });
  box.addEventListener("change", () => {
    if (box.checked) {
      map.addLayer(group);
    } else {
      map.removeLayer(group);
    }
  });
  const text = el("span", { text: t("gaps.toggle") });
  slot.append(el("label", { className: "toggle", for: box.id }, [box, text]), info, names);

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
    names.replaceChildren(...features.map((f) => {
      const button = el("button", { type: "button", className: "link-button", "data-kode": f.id,
        text: f.properties.nama || f.id });
      button.addEventListener("click", () => onFocus(f.id));
      return el("li", {}, [button]);
    }));
    const outlines = features.map((f) => choropleth.unit(f.id)?.feature ?? f);
    const style = { ...cfg.styles.gap, className: "ketahanan-gap" };
    const collection = { type: "FeatureCollection", features: outlines };
    group.addLayer(L.geoJSON(collection, { style, interactive: false, pane: GAPS_PANE }));
  }

  group.on("add", () => {
    box.checked = true;
    draw();
  });
  group.on("remove", () => {
    box.checked = false;
    info.textContent = "";
    names.replaceChildren();
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
