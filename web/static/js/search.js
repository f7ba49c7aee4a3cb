/*
 * The kelurahan search in the panel: matches the typed name or code against the page's
 * places (no request per key), lists up to eight, and on a choice zooms to the kelurahan and
 * opens its popup when the map shows kelurahan (onFound), otherwise draws its outline from
 * GET /collections/kelurahan/items/{kode}. Each hit also links to its profile.
 */
import { itemUrl, query, request } from "./api.js";
import { cfg, el, places, t, toast } from "./page.js";

const MAX_HITS = 8;

function normalise(text) {
  return String(text)
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9.]+/g, " ")
    .trim();
}

let rows = null;

/* [kode, nama, kecamatan] of every kelurahan, by name. */
function index() {
  rows ??= Object.values(places)
    .filter((p) => p.kode.split(".").length === 4)
    .map((p) => [p.kode, p.nama, places[p.parent]?.nama ?? ""])
    .sort((a, b) => a[1].localeCompare(b[1], cfg.numberLocale));
  return rows;
}

/* [kode, nama, kecamatan] rows whose name holds the text or whose code starts with it. */
function matches(text) {
  const q = normalise(text);
  if (q.length < 2) {
    return null;
  }
  const digits = q.replace(/\./g, "");
  return index()
    .filter(([kode, nama]) => normalise(nama).includes(q) ||
      (digits.length > 1 && kode.replace(/\./g, "").startsWith(digits)))
    .sort((a, b) => Number(!normalise(a[1]).startsWith(q)) - Number(!normalise(b[1]).startsWith(q)))
    .slice(0, MAX_HITS);
}

/*
 * Fill `slot` with the search box; `choropleth.unit(kode)` gives a drawn unit, if any, and
 * onFound(kode) opens its popup.
 */
export function createSearch(slot, { map, choropleth, onFound }) {
  let highlight = null;

  async function goTo(kode) {
    if (highlight) {
      map.removeLayer(highlight);
      highlight = null;
    }
    const unit = choropleth.unit(kode);
    if (unit) {
      map.fitBounds(unit.getBounds(), { maxZoom: 15 });
      onFound(kode);
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
      className: "profile-link", text: "↗", title: `${t("profile.title")}: ${nama}`,
      "aria-label": `${t("profile.title")}: ${nama}`,
    });
    return el("li", {}, [button, profile]);
  }

  const input = el("input", { type: "search", id: "ketahanan-search", autocomplete: "off",
    placeholder: t("search.placeholder"), "aria-label": t("search.placeholder"),
    "aria-controls": "ketahanan-search-results" });
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
