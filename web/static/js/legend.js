/*
 * The legend in the map's bottom-right corner: the indicator and its unit, the method and
 * level, one row per class of the classification the items API returned (upper bound as
 * data-upper, the range, the count, the colour the choropleth fills it with), and the
 * "no data" row. Calls no API: the choropleth hands it what it loaded.
 */
import { cfg, el, fmt, label, t } from "./page.js";

function classRow(upper, i, lower, colour, count) {
  const range = (lower === null ? "" : `${fmt(lower)} – `) + fmt(upper);
  return el("li", { className: "legend-class", "data-class": i, "data-upper": String(upper) }, [
    el("span", { className: "swatch", style: `background:${colour}` }),
    el("span", { className: "legend-label", text: range }),
    count === undefined ? null : el("span", { className: "legend-count", text: `(${count})` }),
  ]);
}

/* How an impact figure is computed, from which data of which date, and its caveats (the
 * build's data dictionary, as web/impact.py puts it in the config). */
export function aboutBox(about, id = "ketahanan-about") {
  const line = (key, text) =>
    text ? el("p", { className: `about-${key}` }, [
      el("strong", { text: `${t(`impact.about.${key}`)}: ` }), document.createTextNode(text),
    ]) : null;
  return el("details", { id, className: "legend-about" }, [
    el("summary", { text: t("impact.about") }),
    line("formula", about.formula),
    line("aggregation", about.aggregation),
    line("date", about.date),
    line("source", about.source),
    el("p", {}, [el("strong", { text: `${t("impact.about.caveats")}:` })]),
    el("ul", { className: "about-caveats" }, about.caveats.map((c) => el("li", { text: c }))),
    el("a", { href: about.dictionary, text: t("impact.dictionary") }),
  ]);
}

export function createLegend(map) {
  const box = el("div", { id: "ketahanan-legend", className: "ketahanan-legend" }, [
    el("p", { className: "muted", text: t("legend.loading") }),
  ]);
  const Legend = L.Control.extend({ options: { position: "bottomright" }, onAdd: () => box });
  new Legend().addTo(map);

  /* classification: the API's; ramp: its colours; values: the units' values; missing: how
   * many units have no class. */
  function show({ classification, ramp, values, missing }) {
    const { indicator } = cfg;
    const list = el("ul", { className: "legend-classes" });
    const present = values.filter((v) => typeof v === "number");
    const lowest = present.length ? Math.min(...present) : null;
    classification.breaks.forEach((upper, i) => {
      const lower = i === 0 ? lowest : classification.breaks[i - 1];
      list.append(classRow(upper, i, lower, ramp[i], classification.counts[i]));
    });
    list.append(
      el("li", { className: "legend-nodata" }, [
        el("span", { className: "swatch hatch" }),
        el("span", { className: "legend-label", text: t("legend.no_data") }),
        el("span", { className: "legend-count", text: `(${missing})` }),
      ]),
    );
    const method = label("classifications", classification.method);
    box.replaceChildren(
      el("h2", { text: indicator.name + (indicator.unit ? ` (${indicator.unit})` : "") }),
      el("p", { className: "muted", text: `${method} · ${label("levels", cfg.level)}` }),
      list,
    );
    if (indicator.score) {
      box.append(el("p", { className: "muted", text: t("legend.score_note") }));
    }
    if (indicator.about) {
      box.append(aboutBox(indicator.about));
    }
  }

  return { show };
}
