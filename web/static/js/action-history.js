/*
 * An action's history as a timeline (GET /collections/actions/items/{id}/history): newest
 * first, each version with what happened (created, changed, deleted, restored), by whom and
 * when, and what changed field by field against the version before it ("Status: Direncanakan
 * -> Sedang berjalan"), the shape too; the comments in their place in time (a deleted one
 * as who deleted it and when). Draws into the element it is given.
 */
import { FIELDS, fieldText, whoWhen } from "./action-fields.js";
import { errorText, itemUrl, request } from "./api.js";
import { el, t } from "./page.js";

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/* The field-by-field changes from `before` to `after` (GeoJSON Features). */
export function changes(before, after) {
  if (!before) {
    return [];
  }
  const out = [];
  for (const name of FIELDS) {
    const was = before.properties?.[name];
    const now = after.properties?.[name];
    if (!same(was, now)) {
      out.push({ name, was: fieldText(name, was), now: fieldText(name, now) });
    }
  }
  if (!same(before.geometry, after.geometry)) {
    out.push({ name: "geometry", was: null, now: null });
  }
  return out;
}

function changeItem({ name, was, now }) {
  if (name === "geometry") {
    return el("li", { "data-field": name, text: `${t("history.geometry")}: ${t("history.update")}` });
  }
  return el("li", { "data-field": name }, [
    `${t(`field.${name}`)}: `,
    el("del", { text: was === "–" ? t("history.empty") : was }),
    " → ",
    el("ins", { text: now === "–" ? t("history.empty") : now }),
  ]);
}

function entry(version, previous) {
  const operation = t(`history.${version.operation}`);
  const diff = ["delete", "restore"].includes(version.operation) ? []
    : changes(previous?.feature, version.feature);
  const list = diff.length ? el("ul", { className: "changes" }, diff.map(changeItem))
    : null;
  const note = previous && !diff.length && !["delete", "restore"].includes(version.operation)
    ? el("p", { className: "muted", text: t("history.no_change") }) : null;
  return el("li", { className: `history-${version.operation}`,
    "data-version": String(version.version) }, [
    el("strong", { text: `${operation} (${t("history.version")} ${version.version})` }),
    el("div", { className: "muted", text: `${t("action.by")} ${whoWhen(version.changed_by,
      version.changed_at)}` }),
    list,
    note,
  ]);
}

/* The comment events of a thread: each comment at its time, each deletion at its own. */
function commentEvents(comments) {
  const out = [];
  for (const c of comments ?? []) {
    const who = c.organisation ? `${c.author} (${c.organisation})` : c.author;
    out.push({ at: c.created_at, node: el("li", { className: "history-comment",
      "data-comment": c.id }, [
      el("strong", { text: t("comments.title") }),
      el("div", { className: "muted", text: `${t("action.by")} ${whoWhen(who, c.created_at)}` }),
      c.deleted ? null : el("p", { className: "comment-text", text: c.text }),
    ]) });
    if (c.deleted) {
      out.push({ at: c.deleted_at, node: el("li", { className: "history-comment-deleted",
        "data-comment": c.id }, [
        el("strong", { text: t("comments.deleted_event") }),
        el("div", { className: "muted", text: `${t("action.by")} ${whoWhen(c.deleted_by,
          c.deleted_at)}` }),
      ]) });
    }
  }
  return out;
}

/* Fill `box` with the timeline of action `id`; resolves with the versions (oldest first). */
export async function showHistory(box, id) {
  box.replaceChildren(el("p", { className: "muted", text: t("legend.loading") }));
  let versions;
  let comments;
  try {
    ({ versions, comments } = (await request(`${itemUrl("actions", id)}/history`)).data);
  } catch (err) {
    box.replaceChildren(el("p", { className: "form-error", text: errorText(err) }));
    return [];
  }
  const events = [
    ...versions.map((v, i) => ({ at: v.changed_at, node: entry(v, versions[i - 1]) })),
    ...commentEvents(comments),
  ];
  // by instant (stable: a version and a comment at one millisecond keep this order)
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const items = events.map((e) => e.node).reverse();
  box.replaceChildren(el("ol", { className: "timeline", id: "action-history",
    "aria-label": t("tracker.history") }, items));
  return versions;
}
