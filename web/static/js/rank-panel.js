/*
 * The ranked table beside the map (the /peringkat table of the units on screen): rank,
 * name, parent units, value, class (with its colour) and how many actions of the pillar touch
 * the unit, sortable, optionally limited to one kota. It is rebuilt whenever the choropleth
 * or the actions change, so it always matches the map; a row's name focuses its unit on the
 * map (and a unit opened on the map marks its row). Calls no API.
 */
import { lowestValue, rangeText } from "./legend.js";
import { cfg, el, fmt, placeName, places, t } from "./page.js";
import { pageUrl } from "./panel.js";
import { makeSortable } from "./table-sort.js";

/* Units ranked as the ranking page ranks them: 1 = most exposed, ties share a rank. */
export function rankUnits(features) {
  const value = (f) => f.properties[cfg.indicator.id];
  const worseFirst = cfg.indicator.higherIsWorse !== false;
  const present = features.filter((f) => typeof value(f) === "number");
  present.sort((a, b) => (worseFirst ? value(b) - value(a) : value(a) - value(b)));
  const ranks = new Map();
  present.forEach((f, i) => {
    const prev = present[i - 1];
    ranks.set(f, prev && value(prev) === value(f) ? ranks.get(prev) : i + 1);
  });
  const missing = features.filter((f) => typeof value(f) !== "number");
  return [...present, ...missing].map((f) => ({ feature: f, rank: ranks.get(f) ?? null }));
}

function classCell(props, loaded) {
  const cls = props.class;
  if (!loaded.classification || cls === null || cls === undefined) {
    return el("td", { "data-value": "", text: t("legend.no_data") });
  }
  // the class number (1 = lowest) beside its colour; its range in the title and for readers
  const range = rangeText(loaded.classification, cls, lowestValue(loaded.features));
  return el("td", { "data-value": String(cls), title: range, className: "num" }, [
    el("span", { className: "swatch", style: `background:${loaded.ramp[cls]}`,
      "aria-hidden": "true" }),
    ` ${cls + 1}`,
    el("span", { className: "visually-hidden", text: ` (${range})` }),
  ]);
}

/* side: the <aside> beside the map; onFocus(kode) shows a unit on the map. */
export function createRankPanel(side, { onFocus }) {
  const kota = el("select", { id: "rank-kota" }, [
    el("option", { value: "", text: t("filter.all") }),
    ...Object.values(places).filter((p) => p.kode.split(".").length === 2)
      .map((p) => el("option", { value: p.kode, text: p.nama })),
  ]);
  const close = el("button", { type: "button", className: "side-close", id: "rank-close",
    "aria-label": t("rank.hide"), text: "×" });
  const table = el("table", { className: "data-table sortable", id: "rank-table" });
  const page = el("a", { className: "button-link", id: "rank-page",
    href: pageUrl({}, "/peringkat"), text: t("rank.open_page") });
  side.append(
    el("div", { className: "side-head" }, [el("h2", { text: t("rank.title") }), close]),
    el("p", { className: "muted", text: cfg.indicator.name }),
    el("label", { className: "field", for: kota.id }, [el("span", { text: t("level.kota") }),
      kota]),
    page,
    el("div", { className: "table-scroll", tabindex: "0", role: "region",
      "aria-label": t("rank.title") }, [table]),
  );
  let last = null;

  const header = () => el("tr", {}, [
    ["rank.rank", "number"], ["rank.name", "text"], ["rank.parents", "text"],
    ["rank.value", "number"], ["rank.class", "number"], ["rank.actions", "number"],
  ].map(([key, sort]) => el("th", { scope: "col", "data-sort": sort, text: t(key),
    ...(sort === "number" ? { className: "num" } : {}) })));
  table.append(el("thead", {}, [header()]), el("tbody"));

  function render(loaded, count) {
    last = { loaded, count };
    const head = header();
    const prefix = kota.value ? `${kota.value}.` : "";
    const body = rankUnits(loaded.features)
      .filter(({ feature }) => !prefix || feature.properties.kode.startsWith(prefix))
      .map(({ feature, rank }) => {
        const props = feature.properties;
        const name = el("button", { type: "button", className: "link-button",
          "data-kode": props.kode, text: props.nama });
        name.addEventListener("click", () => onFocus(props.kode));
        const parent = places[props.kode]?.parent;
        const value = props[cfg.indicator.id];
        return el("tr", { "data-kode": props.kode }, [
          el("td", { className: "num", "data-value": rank ?? "", text: rank ?? "–" }),
          el("th", { scope: "row", "data-value": props.nama }, [name]),
          el("td", { text: parent ? placeName(parent) : "" }),
          el("td", { className: "num", "data-value": value ?? "", text: fmt(value) }),
          classCell(props, loaded),
          el("td", { className: "num", text: String(count(props.kode)) }),
        ]);
      });
    table.replaceChildren(el("thead", {}, [head]), el("tbody", {}, body));
    makeSortable(table);
    side.setAttribute("data-rows", String(body.length));
  }

  kota.addEventListener("change", () => last && render(last.loaded, last.count));
  close.addEventListener("click", () => document.getElementById("ketahanan-table-toggle")
    ?.click());
  return {
    render,
    /* Mark the row of a unit opened on the map. */
    mark(kode) {
      table.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
      const row = table.querySelector(`tr[data-kode="${CSS.escape(kode)}"]`);
      row?.classList.add("selected");
      if (!side.hidden) {
        row?.scrollIntoView({ block: "nearest" });
      }
    },
  };
}
