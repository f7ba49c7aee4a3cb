/*
 * The kelurahan search in the panel: matches the typed name or code against the kelurahan
 * index in the page config (no request per key), lists up to eight, and on a choice zooms to
 * the kelurahan: its unit on the choropleth when the map shows kelurahan, otherwise its
 * outline from GET /collections/kelurahan/items/{kode}. Each hit also links to its profile.
 */
import { itemUrl, query, request } from "./api.js";
import { cfg, el, t, toast } from "./page.js";

const MAX_HITS = 8;

function normalise(text) {
  return String(text)
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9.]+/g, " ")
    .trim();
}

/* [kode, nama, kecamatan] rows whose name holds the text or whose code starts with it. */
function matches(text) {
  const q = normalise(text);
  if (q.length < 2) {
    return null;
  }
  const digits = q.replace(/\./g, "");
  return cfg.kelurahan
    .filter(([kode, nama]) => normalise(nama).includes(q) ||
      (digits.length > 1 && kode.replace(/\./g, "").startsWith(digits)))
    .slice(0, MAX_HITS);
}

/* Fill `slot` with the search box; `choropleth.unit(kode)` gives a drawn unit, if any. */
export function createSearch(slot, { map, choropleth }) {
  let highlight = null;

  async function goTo(kode) {
    if (highlight) {
      map.removeLayer(highlight);
      highlight = null;
    }
    const unit = choropleth.unit(kode);
    if (unit) {
      map.fitBounds(unit.getBounds(), { maxZoom: 15 });
      unit.openTooltip(unit.getBounds().getCenter());
      return;
    }
    try {
      const { data } = await request(itemUrl(cfg.profileLevel, kode, { zoom: 14, lang: cfg.lang }));
      const style = { ...cfg.styles.highlight, className: "ketahanan-highlight" };
      highlight = L.geoJSON(data, { style }).addTo(map);
      map.fitBounds(highlight.getBounds(), { maxZoom: 15 });
    } catch {
      toast(t("error.load"), true);
    }
  }

  function hitItem([kode, nama, kecamatan]) {
    const button = el("button", { type: "button", "data-kode": kode }, [
      el("strong", { text: nama }), " ", el("small", { text: `${kode} · ${kecamatan}` }),
    ]);
    button.addEventListener("click", () => goTo(kode));
    const profile = el("a", {
      href: `/kelurahan/${encodeURIComponent(kode)}${query({ lang: cfg.lang })}`,
      className: "profile-link", text: "↗", title: t("profile.title"),
    });
    return el("li", {}, [button, profile]);
  }

  const input = el("input", { type: "search", id: "ketahanan-search", autocomplete: "off",
    placeholder: t("search.placeholder"), "aria-label": t("search.placeholder") });
  const results = el("ul", { id: "ketahanan-search-results", className: "search-results" });
  input.addEventListener("input", () => {
    const hits = matches(input.value);
    if (hits === null) {
      results.replaceChildren();
    } else if (!hits.length) {
      results.replaceChildren(el("li", { className: "muted", text: t("search.none") }));
    } else {
      results.replaceChildren(...hits.map(hitItem));
    }
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      results.querySelector("button")?.click();
    }
  });
  slot.append(input, results);
}
