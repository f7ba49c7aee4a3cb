/*
 * The panel in the map's top-left corner: the language switch and the pillar, level,
 * indicator and classification choosers (each choice opens another /peta link, so a map is
 * always a shareable URL), with slots that the search and the coverage-gap toggle fill.
 * Calls no API.
 */
import { query } from "./api.js";
import { aboutBox } from "./legend.js";
import { cfg, el, fmt, t } from "./page.js";

/* The /peta URL of this map with some of its parameters changed. */
export function pageUrl(changes) {
  const params = {
    pilar: cfg.pillar,
    tingkat: cfg.level,
    indikator: cfg.indicator.score ? "" : currentIndicator(),
    klasifikasi: cfg.classification,
    k: cfg.k,
    lang: cfg.lang,
    ...(cfg.impact ? { skenario: cfg.impact.scenario, ukuran: cfg.impact.measure } : {}),
    ...changes,
  };
  if (params.indikator !== (cfg.impact ? cfg.impact.choice : null)) {
    params.skenario = "";
    params.ukuran = "";
  }
  if (params.k === cfg.vocabulary.k.default) {
    params.k = "";
  }
  return `/peta${query(params)}`;
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
  return el("label", { className: "field" }, [el("span", { text }), sel]);
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
  return [
    select("pilar", t("pillar.label"), words("pillars"), cfg.pillar, (v) =>
      go({ pilar: v, indikator: "" }),
    ),
    select("tingkat", t("level.label"), words("levels"), cfg.level, (v) => go({ tingkat: v })),
    select("indikator", t("indicator.label"), indicators, current, (v) => go({ indikator: v })),
    ...impactChoosers(),
    select("klasifikasi", t("classification.label"), words("classifications"),
      cfg.classification, (v) => go({ klasifikasi: v })),
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

/* Add the panel to the map; returns the slots {search, gaps} for the other modules. */
export function createPanel(map) {
  const slots = { search: el("div", { className: "search" }), gaps: el("div") };
  const Panel = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const other = cfg.otherLang;
      const box = el("div", { id: "ketahanan-panel", className: "ketahanan-panel" }, [
        el("div", { className: "panel-head" }, [
          el("h1", { text: t("map.title") }),
          el("a", { href: pageUrl({ lang: other }), className: "lang-switch", hreflang: other,
            text: t("nav.language") }),
        ]),
        ...choosers(),
        rankingBox(),
        slots.search,
        slots.gaps,
        el("p", { className: "hint", text: t("action.draw_hint") }),
      ]);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Panel().addTo(map);
  return slots;
}
