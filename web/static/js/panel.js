/*
 * The panel in the map's top-left corner: the pillar, level, indicator and classification
 * choosers (each choice opens another /peta link, so a map is always a shareable URL), with
 * slots that the search, the coverage gaps, the weights and the downloads fill, and the
 * button that shows the ranked table beside the map. On a small screen the panel folds to a
 * button. Calls no API.
 */
import { query } from "./api.js";
import { aboutBox } from "./legend.js";
import { cfg, el, fmt, t } from "./page.js";

const SMALL_SCREEN = "(max-width: 700px)";

/* The map's page parameters, with some of them changed. */
export function pageParams(changes = {}) {
  const params = {
    pilar: cfg.pillar,
    tingkat: cfg.level,
    indikator: cfg.indicator.score ? "" : currentIndicator(),
    klasifikasi: cfg.classification,
    k: cfg.k,
    weights: cfg.weights,
    lang: cfg.lang,
    ...(cfg.impact ? { skenario: cfg.impact.scenario, ukuran: cfg.impact.measure } : {}),
    ...changes,
  };
  if (params.indikator !== (cfg.impact ? cfg.impact.choice : null)) {
    params.skenario = "";
    params.ukuran = "";
  }
  if (Number(params.k) === cfg.vocabulary.k.default) {
    params.k = "";
  }
  return params;
}

/* The /peta (or another page's) URL of this map with some of its parameters changed. */
export function pageUrl(changes, path = "/peta") {
  return `${path}${query(pageParams(changes))}`;
}

function go(changes) {
  window.location.href = pageUrl(changes);
}

function select(name, text, options, current, onChange) {
  const sel = el("select", { name, id: `ketahanan-${name}` });
  for (const [value, optionText] of options) {
    const option = el("option", { value, text: optionText });
    option.selected = String(value) === String(current);
    sel.append(option);
  }
  sel.addEventListener("change", () => onChange(sel.value));
  return el("label", { className: "field", for: sel.id }, [el("span", { text }), sel]);
}

const words = (kind) => cfg.vocabulary[kind].map((w) => [w.id, w.label]);

/* The indikator value of this map: the impact choice shows a measure, not an indicator. */
function currentIndicator() {
  return cfg.impact ? cfg.impact.choice : cfg.indicator.id;
}

/* The impact choice's scenario and measure choosers (only on an impact map). */
function impactChoosers() {
  if (!cfg.impact) {
    return [];
  }
  const pairs = (list) => list.map((w) => [w.id, w.label]);
  return [
    select("skenario", t("impact.scenario"), pairs(cfg.impact.scenarios), cfg.impact.scenario,
      (v) => go({ skenario: v, ukuran: "" })),
    select("ukuran", t("impact.measure"), pairs(cfg.impact.measures), cfg.impact.measure,
      (v) => go({ ukuran: v })),
  ];
}

function choosers() {
  const indicators = [["", t("indicator.score")], ...cfg.indicators.map((i) => [i.id, i.name])];
  const current = cfg.indicator.score ? "" : currentIndicator();
  const { min, max } = cfg.vocabulary.k;
  const counts = Array.from({ length: max - min + 1 }, (_, i) => [min + i, String(min + i)]);
  return [
    select("pilar", t("pillar.label"), words("pillars"), cfg.pillar, (v) =>
      go({ pilar: v, indikator: "", weights: "" }),
    ),
    select("tingkat", t("level.label"), words("levels"), cfg.level, (v) => go({ tingkat: v })),
    select("indikator", t("indicator.label"), indicators, current, (v) => go({ indikator: v })),
    ...impactChoosers(),
    el("div", { className: "field-pair" }, [
      select("klasifikasi", t("classification.label"), words("classifications"), cfg.classification,
        (v) => go({ klasifikasi: v })),
      select("k", t("classification.k"), counts, cfg.k, (v) => go({ k: v })),
    ]),
  ];
}

/* The ordered lists of the units that gain most from a scenario and those that gain nothing
 * or lose (only for a scenario compared with today; web/impact.py ranks them). */
function rankingBox() {
  const ranking = cfg.impact ? cfg.impact.ranking : null;
  if (!ranking) {
    return null;
  }
  const signed = (v) => (typeof v === "number" && v > 0 ? `+${fmt(v)}` : fmt(v));
  const item = (u) => el("li", { "data-kode": u.kode, "data-rank": String(u.rank) }, [
    cfg.profiles
      ? el("a", { href: `/kelurahan/${encodeURIComponent(u.kode)}?lang=${cfg.lang}`, text: u.nama })
      : el("span", { text: u.nama }),
    el("span", { className: "muted", text: ` ${signed(u.no_longer_affected)}` }),
  ]);
  const list = (id, units) => units.length
    ? el("ol", { id, className: "ranking-list" }, units.map(item))
    : el("p", { id, className: "muted", text: t("impact.ranking.empty") });
  return el("details", { id: "ketahanan-ranking", className: "ranking" }, [
    el("summary", { text: t("impact.ranking") }),
    el("h2", { text: t("impact.ranking.gain") }),
    list("ranking-gain", ranking.gain),
    el("h2", { text: t("impact.ranking.nogain") }),
    list("ranking-nogain", ranking.nogain),
    el("p", { className: "muted", text: `${fmt(ranking.ranked)} ${t("impact.ranking.of")}` }),
    aboutBox(ranking.about, "ranking-about"),
  ]);
}

/* Add the panel to the map; returns the slots the other modules fill. */
export function createPanel(map, { onTable }) {
  const slots = {
    search: el("div", { className: "search" }),
    gaps: el("div", { className: "gaps" }),
    weights: el("div", { className: "weights" }),
    downloads: el("div", { className: "downloads" }),
  };
  const toggle = el("button", { type: "button", id: "ketahanan-panel-toggle",
    className: "panel-toggle", "aria-controls": "ketahanan-panel-body", text: t("panel.open") });
  const table = el("button", { type: "button", id: "ketahanan-table-toggle",
    className: "table-toggle", "aria-controls": "ketahanan-side", "aria-expanded": "false",
    text: t("rank.show") });
  table.addEventListener("click", () => onTable(table));
  const body = el("div", { id: "ketahanan-panel-body", className: "panel-body" }, [
    el("h1", { text: t("map.title") }),
    ...choosers(),
    rankingBox(),
    slots.search,
    table,
    slots.gaps,
    slots.weights,
    slots.downloads,
    el("p", { className: "hint", text: t("action.draw_hint") }),
  ]);
  const box = el("section", { id: "ketahanan-panel", className: "ketahanan-panel",
    "aria-label": t("panel.label") }, [toggle, body]);
  const setOpen = (open) => {
    box.classList.toggle("folded", !open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? t("panel.close") : t("panel.open");
  };
  toggle.addEventListener("click", () => setOpen(box.classList.contains("folded")));
  setOpen(!window.matchMedia(SMALL_SCREEN).matches);
  const Panel = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Panel().addTo(map);
  return { ...slots, fold: () => setOpen(false) };
}
