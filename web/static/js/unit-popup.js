/*
 * The popup of a unit clicked on the choropleth: its name and parents, the value shown and
 * its class (with the class colour), how many actions of the pillar touch it, and buttons:
 * "attach an action" (kelurahan and kecamatan), the profile (at every level), zoom to it. Calls no
 * API: the choropleth and the actions layer hand it what they hold.
 */
import { rangeText, lowestValue } from "./legend.js";
import { query } from "./api.js";
import { cfg, el, fmt, parentsText, t } from "./page.js";

/* Levels whose units an action may name by code (the actions API takes these codes). */
const ATTACHABLE_PARTS = new Set([3, 4]); // kecamatan 31.71.01, kelurahan 31.71.01.1001

function classLine(props, loaded) {
  const { classification, ramp, features } = loaded || {};
  const cls = props.class;
  const { status, partial_status: partialStatus } = cfg.indicator;
  if (status && props[status] === partialStatus) {
    return el("span", { className: "score-partial", text: t("legend.partial") });
  }
  if (!classification || cls === null || cls === undefined) {
    return el("span", { className: "no-data", text: t("legend.no_data") });
  }
  return el("span", { className: "unit-class" }, [
    el("span", { className: "swatch", style: `background:${ramp[cls]}`, "aria-hidden": "true" }),
    ` ${rangeText(classification, cls, lowestValue(features))}`,
  ]);
}

/*
 * feature: the unit's; loaded: what the choropleth drew; actions: how many actions of the
 * pillar touch it; handlers: {onAddAction(unit), onZoom()}.
 */
export function unitPopup(feature, loaded, actions, { onAddAction, onZoom }) {
  const props = feature.properties;
  const kode = props.kode;
  const parents = parentsText(kode);
  const { partial, missing } = cfg.indicator;
  const value = props[cfg.indicator.id] ?? (partial ? props[partial] : null);
  const unit = cfg.indicator.unit && !cfg.indicator.score && value != null
    ? ` ${cfg.indicator.unit}` : "";
  const list = el("dl", { className: "unit-props" }, [
    el("dt", { text: cfg.indicator.name }), el("dd", { className: "unit-value",
      text: `${fmt(value)}${unit}` }),
    el("dt", { text: t("rank.class") }), el("dd", {}, [classLine(props, loaded)]),
    ...(missing && props[missing] ? [el("dt", { text: t("tooltip.missing") }),
      el("dd", { className: "unit-missing", text: String(props[missing]) })] : []),
    el("dt", { text: t("rank.actions") }), el("dd", { className: "unit-actions",
      text: String(actions) }),
  ]);
  const buttons = [];
  if (ATTACHABLE_PARTS.has(kode.split(".").length)) {
    const add = el("button", { type: "button", className: "unit-add-action primary",
      text: t("action.add_for_unit") });
    add.addEventListener("click", () => onAddAction({ unitCode: kode, unitName: props.nama }));
    buttons.push(add);
  }
  // every level has a profile: /kelurahan/{kode}, /kecamatan/{kode}, /kota/{kode}
  buttons.push(el("a", { className: "unit-profile unit-profile-link button-link",
    href: `/${cfg.level}/${encodeURIComponent(kode)}${query({ lang: cfg.lang })}`,
    text: t("profile.open") }));
  const zoom = el("button", { type: "button", className: "unit-zoom", text: t("map.zoom_to") });
  zoom.addEventListener("click", onZoom);
  buttons.push(zoom);
  return el("div", { className: "unit-popup", "data-kode": kode }, [
    el("h3", { text: props.nama || kode }),
    parents ? el("p", { className: "muted", text: parents }) : null,
    list,
    el("div", { className: "buttons" }, buttons),
  ]);
}
