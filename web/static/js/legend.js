/*
 * The legend in the map's bottom-right corner: the indicator and its unit, the method and
 * level, one row per class of the classification the items API returned (upper bound as
 * data-upper, the range, the count, the colour the choropleth fills it with), and the
 * "no data" row (and, for a pillar score, the hatched row of its partial scores), and the date
 * of the data. Calls no API: the choropleth hands it what it loaded.
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

export function createLegend(map) {
  const box = el("div", { id: "ketahanan-legend", className: "ketahanan-legend" }, [
    el("p", { className: "muted", text: t("legend.loading") }),
  ]);
  const Legend = L.Control.extend({ options: { position: "bottomright" }, onAdd: () => box });
  new Legend().addTo(map);

  /* classification: the API's; ramp: its colours; values: the units' values; missing: how
   * many units have no data; partial: how many have a partial score. */
  function show({ classification, ramp, values, missing, partial }) {
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
    if (indicator.score) {
      list.append(
        el("li", { className: "legend-partial" }, [
          el("span", { className: "swatch partial" }),
          el("span", { className: "legend-label", text: t("legend.partial") }),
          el("span", { className: "legend-count", text: `(${partial ?? 0})` }),
        ]),
      );
    }
    const method = label("classifications", classification.method);
    box.replaceChildren(
      el("h2", { text: indicator.name + (indicator.unit ? ` (${indicator.unit})` : "") }),
      el("p", { className: "muted", text: `${method} · ${label("levels", cfg.level)}` }),
      list,
    );
    if (indicator.data_date) {
      const note = indicator.data_note ? ` · ${indicator.data_note}` : "";
      box.append(
        el("p", { className: "muted legend-date", text: `${t("legend.data_date")}: ${indicator.data_date}${note}` }),
      );
    }
    if (indicator.score) {
      box.append(el("p", { className: "muted", text: t("legend.score_note") }));
    }
  }

  return { show };
}
