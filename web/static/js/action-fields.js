/*
 * An action's fields as a planner reads them: each property's label and its value in the
 * page's language (pillar and status by name, progress in percent, the budget in rupiah,
 * dates and times in the reader's locale, places by name). Used by the tracker's detail and
 * its history timeline. Calls no API.
 */
import { placesText } from "./action-view.js";
import { cfg, el, fmtDay, fmtTime, fmtWhole, label, placeName, t } from "./page.js";

/* The editable properties in the order a planner reads them. */
export const FIELDS = ["title", "description", "pillar", "strategy_goal", "lead_agency",
  "partners", "status", "progress", "budget_idr", "start_date", "end_date", "unit_codes"];

/* A property's value as text ("–" when it has none). */
export function fieldText(name, value, props = {}) {
  if (value === null || value === undefined || value === "" ||
    (Array.isArray(value) && !value.length)) {
    return name === "unit_codes" && props.kelurahan?.length ? placesText(props, 12) : "–";
  }
  switch (name) {
    case "pillar":
      return label("pillars", value);
    case "status":
      return label("statuses", value);
    case "progress":
      return `${fmtWhole(value)}%`;
    case "budget_idr":
      return `Rp ${fmtWhole(value)}`;
    case "start_date":
    case "end_date":
      return fmtDay(value);
    case "partners":
      return value.join(", ");
    case "unit_codes":
      return value.map((k) => placeName(k, true)).join("; ");
    default:
      return String(value);
  }
}

/* The status with its colour dot. */
export function statusBadge(status) {
  if (!status) { // not stated (a related initiative's source names none): shown as not known
    return el("span", { className: "status status-unknown" }, [
      el("span", { className: "swatch", style: `background:${cfg.styles.status_unknown}`,
        "aria-hidden": "true" }),
      ` ${t("status.unknown")}`,
    ]);
  }
  const colour = cfg.styles.statuses[status] || cfg.styles.statuses[cfg.vocabulary.status_default];
  return el("span", { className: `status status-${status}` }, [
    el("span", { className: "swatch", style: `background:${colour}`, "aria-hidden": "true" }),
    ` ${label("statuses", status)}`,
  ]);
}

/* A progress bar with its percent as text (the bar is decoration; the text is read out). */
export function progressBar(value) {
  if (value === null || value === undefined) { // not stated: no data, not 0 %
    return el("span", { className: "progress no-progress muted", text: t("legend.no_data") });
  }
  const percent = Math.max(0, Math.min(100, Number(value) || 0));
  return el("span", { className: "progress" }, [
    el("span", { className: "progress-bar", "aria-hidden": "true" }, [
      el("span", { style: `width:${percent}%` }),
    ]),
    el("span", { className: "progress-text", text: `${fmtWhole(percent)}%` }),
  ]);
}

/* "Rina (BAPPEDA), 15 Jan 2025 08.30": who changed something and when. */
export function whoWhen(who, when) {
  return `${who || "–"}, ${fmtTime(when)}`;
}

/* The <dl> of every field of an action, plus who made and last changed it. */
export function fieldList(feature) {
  const props = feature.properties;
  const list = el("dl", { className: "detail-fields" });
  for (const name of FIELDS) {
    list.append(el("dt", { text: t(`field.${name}`) }),
      el("dd", { "data-field": name, text: fieldText(name, props[name], props) }));
  }
  list.append(
    el("dt", { text: t("field.kelurahan") }),
    el("dd", { "data-field": "touched", text: (props.kelurahan || []).map((k) => placeName(k))
      .join(", ") || "–" }),
    el("dt", { text: t("action.created") }),
    el("dd", { text: whoWhen(props.created_by, props.created_at) }),
    el("dt", { text: t("action.last_change") }),
    el("dd", { "data-field": "updated", text: whoWhen(props.updated_by, props.updated_at) }),
    el("dt", { text: t("action.version") }),
    el("dd", { "data-field": "version", text: String(props.version) }),
  );
  return list;
}
