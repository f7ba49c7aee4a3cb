/*
 * The legend in the map's bottom-right corner: the indicator and its unit, the method and
 * level, one row per class of the classification the items API returned (upper bound as
 * data-upper, the range, the count, the colour the choropleth fills it with), and the
 * "no data" row (and, for a pillar score, the hatched row of its partial scores), and the date
 * of the data. When the data allowed fewer classes than asked it says so; when no unit has
 * a value it says "no data" and nothing else. Folds away on a small screen. Calls no API:
 * the choropleth hands it what it loaded.
 */
import { cfg, el, fmt, label, t } from "./page.js";

const SMALL_SCREEN = "(max-width: 700px)";

/* "0,219 – 0,285": the range of class i (the lowest value opens the first class). A class
 * is (breaks[i-1], breaks[i]] and the first [lowest, breaks[0]] (geo/classify.py), so when the
 * lowest value is the first break (quantiles of many zeros) the first class is that one value,
 * "0", and the next starts above it: "> 0 – 0,071", not "0 – 0" then "0 – 0,071". */
export function rangeText(classification, i, lowest) {
  const { breaks } = classification;
  const upper = breaks[i];
  const lower = i === 0 ? lowest : breaks[i - 1];
  if (lower === null || lower === undefined || lower === upper) return fmt(upper);
  const afterOneValue = i === 1 && lowest === lower;
  return `${afterOneValue ? "> " : ""}${fmt(lower)} – ${fmt(upper)}`;
}

/* The smallest value among features (null when none has one). */
export function lowestValue(features) {
  const present = features.map((f) => f.properties[cfg.indicator.id])
    .filter((v) => typeof v === "number");
  return present.length ? Math.min(...present) : null;
}

function classRow(classification, i, lowest, colour) {
  const upper = classification.breaks[i];
  return el("li", { className: "legend-class", "data-class": i, "data-upper": String(upper) }, [
    el("span", { className: "swatch", style: `background:${colour}`, "aria-hidden": "true" }),
    el("span", { className: "legend-label", text: rangeText(classification, i, lowest) }),
    el("span", { className: "legend-count", text: `(${classification.counts[i]})` }),
  ]);
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function notes(classification) {
  const { plan, indicator } = cfg;
  const out = [];
  if (!classification) {
    out.push(el("p", { className: "legend-note legend-empty", text: t("legend.empty") }));
  } else if (classification.k < plan.requestedK) {
    const text = fill(t("legend.fewer"), { k: classification.k, asked: plan.requestedK,
      distinct: plan.distinct });
    out.push(el("p", { className: "legend-note legend-fewer", role: "note", text }));
  }
  if (indicator.score) {
    out.push(el("p", { className: "muted", text: t("legend.score_note") }));
  }
  if (cfg.weights) {
    out.push(el("p", { className: "legend-note legend-weights", text: t("legend.custom_weights") }));
  }
  return out;
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
  const body = el("div", { className: "legend-body" }, [
    el("p", { className: "muted", text: t("legend.loading") }),
  ]);
  const title = el("summary", { className: "legend-summary", text: t("legend.title") });
  const box = el("details", { id: "ketahanan-legend", className: "ketahanan-legend" },
    [title, body]);
  box.open = !window.matchMedia(SMALL_SCREEN).matches;
  const Legend = L.Control.extend({ options: { position: "bottomright" }, onAdd: () => box });
  new Legend().addTo(map);
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);

  /* classification: the API's (or null); ramp: its colours; features: the units drawn;
   * missing: how many units have no class; partial: how many have a partial score. */
  function show({ classification, ramp, features, missing, partial }) {
    const { indicator } = cfg;
    const list = el("ul", { className: "legend-classes" });
    if (classification) {
      const lowest = lowestValue(features);
      classification.breaks.forEach((_, i) => list.append(classRow(classification, i, lowest,
        ramp[i])));
    }
    list.append(
      el("li", { className: "legend-nodata" }, [
        el("span", { className: "swatch hatch", "aria-hidden": "true" }),
        el("span", { className: "legend-label", text: t("legend.no_data") }),
        el("span", { className: "legend-count", text: `(${missing})` }),
      ]),
    );
    if (indicator.score) {
      list.append(
        el("li", { className: "legend-partial" }, [
          el("span", { className: "swatch partial", "aria-hidden": "true" }),
          el("span", { className: "legend-label", text: t("legend.partial") }),
          el("span", { className: "legend-count", text: `(${partial ?? 0})` }),
        ]),
      );
    }
    const method = classification ? cfg.vocabulary.method_labels[classification.method] : "";
    const where = [method, label("levels", cfg.level)].filter(Boolean).join(" · ");
    body.replaceChildren(
      el("h2", { text: indicator.name + (indicator.unit ? ` (${indicator.unit})` : "") }),
      el("p", { className: "muted", text: where }),
      list,
      ...notes(classification),
    );
    if (indicator.data_date) {
      const note = indicator.data_note ? ` · ${indicator.data_note}` : "";
      body.append(
        el("p", { className: "muted legend-date",
          text: `${t("legend.data_date")}: ${indicator.data_date}${note}` }),
      );
    }
    if (indicator.about) {
      body.append(aboutBox(indicator.about));
    }
    box.setAttribute("data-ready", "1");
  }

  return { show };
}
