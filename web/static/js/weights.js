/*
 * The weights panel: one number per indicator of the pillar (its default weight from the
 * build, or the weight the page's ?weights= gave). "Terapkan" opens the same map with the
 * weights that differ from the defaults in the URL, so the map, legend, table and downloads
 * all use them (the API recomputes the scores); "Bobot bawaan" drops them. Calls no API.
 */
import { cfg, el, fmt, t } from "./page.js";
import { pageUrl } from "./panel.js";

/* "id:w,id:w" of the inputs whose weight differs from the default (sorted by id). */
function serialise(inputs) {
  return inputs
    .filter(({ input, row }) => input.value !== "" && Number(input.value) !== row.default)
    .map(({ input, row }) => `${row.id}:${Number(input.value)}`)
    .sort()
    .join(",");
}

/* Fill the panel's slot with the weights of the page's pillar. */
export function createWeights(slot) {
  const inputs = cfg.weightsPanel.map((row) => {
    const input = el("input", { type: "number", min: "0", step: "0.5", inputmode: "decimal",
      id: `weight-${row.id}`, name: row.id, "data-default": String(row.default) });
    input.value = String(row.value ?? row.default);
    return { row, input };
  });
  const list = el("ul", { className: "weights-list" }, inputs.map(({ row, input }) =>
    el("li", {}, [
      el("label", { for: input.id, text: row.name }),
      input,
      el("small", { className: "muted", text: `${t("weights.default")} ${fmt(row.default)}` }),
    ])));
  const apply = el("button", { type: "submit", className: "primary", id: "weights-apply",
    text: t("weights.apply") });
  const reset = el("button", { type: "button", id: "weights-reset", text: t("weights.reset") });
  const form = el("form", { className: "weights-form", id: "weights-form" }, [
    el("p", { className: "muted", text: t(cfg.indicator.score ? "weights.help"
      : "weights.help_indicator") }),
    list,
    el("div", { className: "buttons" }, [apply, reset]),
  ]);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    window.location.href = pageUrl({ weights: serialise(inputs) });
  });
  reset.addEventListener("click", () => {
    window.location.href = pageUrl({ weights: "" });
  });
  const box = el("details", { className: "panel-section", id: "weights-panel" }, [
    el("summary", { text: cfg.weights ? `${t("weights.title")} (${t("weights.custom")})`
      : t("weights.title") }),
    form,
  ]);
  box.open = Boolean(cfg.weights) && !window.matchMedia("(max-width: 700px)").matches;
  slot.append(box);
}
