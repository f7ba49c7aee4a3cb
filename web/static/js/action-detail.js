/*
 * One action in the tracker: every field, its places on a small map, its history timeline,
 * and in-place changes of status and progress (PATCH with If-Match). When someone saved a
 * newer version first (412) the panel shows that version, who saved it and when, and offers
 * to apply the planner's change to it. Delete asks in a dialog, then offers undo (restore).
 */
import { fieldList, progressBar, statusBadge } from "./action-fields.js";
import { showComments } from "./action-comments.js";
import { showHistory } from "./action-history.js";
import { createActionMap } from "./action-map.js";
import { authHeaders, errorText, itemUrl, request } from "./api.js";
import { ensureWriter, tokenRefused } from "./auth.js";
import { cfg, el, fmtTime, label, t, toast } from "./page.js";

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function confirmDialog(message, yes) {
  return new Promise((resolve) => {
    const ok = el("button", { type: "button", className: "primary", id: "confirm-yes", text: yes });
    const no = el("button", { type: "button", id: "confirm-no", text: t("action.cancel") });
    const box = el("dialog", { className: "confirm", id: "confirm-dialog",
      "aria-describedby": "confirm-text" }, [
      el("p", { id: "confirm-text", text: message }), el("div", { className: "buttons" }, [ok, no]),
    ]);
    const done = (answer) => {
      box.close();
      box.remove();
      resolve(answer);
    };
    ok.addEventListener("click", () => done(true));
    no.addEventListener("click", () => done(false));
    box.addEventListener("cancel", () => done(false));
    document.body.append(box);
    box.showModal();
    no.focus();
  });
}

/* box: the detail <section>; onChanged(feature|null, id) after a save, delete or restore. */
export function createActionDetail(box, { onChanged, onClose }) {
  let current = null; // {feature, etag}
  let map = null;

  function quickEdit(feature) {
    const props = feature.properties;
    const status = el("select", { id: "detail-status", name: "status" },
      cfg.vocabulary.statuses.map((s) => el("option", { value: s.id, text: s.label })));
    status.value = props.status;
    const progress = el("input", { type: "number", id: "detail-progress", name: "progress",
      min: "0", max: "100", step: "5", inputmode: "numeric" });
    progress.value = String(props.progress ?? 0);
    const save = el("button", { type: "submit", className: "primary", id: "detail-save",
      text: t("action.save_change") });
    const form = el("form", { className: "quick-edit", id: "detail-quick-edit",
      "aria-label": t("tracker.quick_edit") }, [
      el("label", { for: status.id }, [t("field.status"), status]),
      el("label", { for: progress.id }, [`${t("field.progress")} (%)`, progress]),
      save,
    ]);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const value = Number(progress.value);
      if (!Number.isInteger(value) || value < 0 || value > 100) {
        toast(t("invalid.progress"), true);
        return;
      }
      patch({ status: status.value, progress: value });
    });
    return form;
  }

  function conflict(change, newer) {
    const props = newer.feature.properties;
    const text = fill(t("tracker.conflict_text"), {
      who: props.updated_by, when: fmtTime(props.updated_at),
      status: label("statuses", props.status), progress: props.progress });
    const reapply = el("button", { type: "button", className: "primary", id: "conflict-reapply",
      text: t("tracker.reapply") });
    const discard = el("button", { type: "button", id: "conflict-discard",
      text: t("tracker.discard") });
    reapply.addEventListener("click", () => patch(change));
    discard.addEventListener("click", () => render(newer.feature, newer.etag));
    return el("div", { className: "conflict", id: "detail-conflict", role: "alert" }, [
      el("strong", { text: t("tracker.conflict_title") }), el("p", { text }),
      el("div", { className: "buttons" }, [reapply, discard]),
    ]);
  }

  async function load(id) {
    const { data, headers } = await request(itemUrl("actions", id));
    return { feature: data, etag: headers.get("ETag") };
  }

  async function patch(change) {
    if (!current || !(await ensureWriter())) {
      return;
    }
    const { feature, etag } = current;
    try {
      const { data, headers } = await request(itemUrl("actions", feature.id), {
        method: "PATCH",
        headers: authHeaders({ "Content-Type": "application/json", "If-Match": etag }),
        body: JSON.stringify({ properties: change }),
      });
      await render(data, headers.get("ETag"));
      toast(t("action.saved"));
      onChanged(data, data.id);
    } catch (err) {
      if (err.status === 412) {
        // Show the newer version (fields and history), keep the planner's change in the
        // form, and offer to apply it to that version.
        const newer = await load(feature.id);
        await render(newer.feature, newer.etag);
        box.querySelector("#detail-status").value = change.status;
        box.querySelector("#detail-progress").value = String(change.progress);
        box.querySelector(".quick-edit").after(conflict(change, newer));
      } else if (err.status === 401) {
        tokenRefused();
      } else {
        toast(errorText(err), true);
      }
    }
  }

  async function restore(id) {
    try {
      const { data, headers } = await request(`${itemUrl("actions", id)}/restore`, {
        method: "POST", headers: authHeaders() });
      await render(data, headers.get("ETag"));
      toast(t("action.restored"));
      onChanged(data, id);
    } catch (err) {
      toast(errorText(err), true);
    }
  }

  async function remove() {
    const { feature, etag } = current;
    const message = fill(t("tracker.delete_confirm"), { title: feature.properties.title });
    if (!(await confirmDialog(message, t("action.delete"))) || !(await ensureWriter())) {
      return;
    }
    try {
      await request(itemUrl("actions", feature.id), { method: "DELETE",
        headers: authHeaders({ "If-Match": etag }) });
    } catch (err) {
      toast(err.status === 412 ? t("error.conflict") : errorText(err), true);
      return;
    }
    const undo = el("button", { type: "button", className: "primary", id: "detail-restore",
      text: t("tracker.restore") });
    undo.addEventListener("click", () => restore(feature.id));
    box.replaceChildren(el("h2", { text: feature.properties.title }),
      el("p", { className: "tracker-deleted", text: t("tracker.deleted_note") }), undo);
    toast(t("action.deleted"), false, { label: t("action.undo"), run: () => restore(feature.id) });
    onChanged(null, feature.id);
  }

  async function render(feature, etag) {
    current = { feature, etag };
    const props = feature.properties;
    const close = el("button", { type: "button", className: "side-close", id: "detail-close",
      "aria-label": t("tracker.close"), text: "×" });
    close.addEventListener("click", onClose);
    const del = el("button", { type: "button", className: "action-delete", id: "detail-delete",
      text: t("action.delete") });
    del.addEventListener("click", remove);
    const mapNode = el("div", { className: "detail-map", role: "img",
      "aria-label": `${t("profile.map")}: ${props.title}` });
    const history = el("div", { className: "history" });
    const comments = el("div", { className: "comments-box" });
    box.replaceChildren(
      el("div", { className: "side-head" }, [el("h2", { id: "detail-title", text: props.title }),
        close]),
      el("p", {}, [statusBadge(props.status), " ", progressBar(props.progress)]),
      quickEdit(feature),
      fieldList(feature),
      mapNode,
      el("div", { className: "buttons" }, [del]),
      el("h3", { text: t("comments.title") }),
      comments,
      el("h3", { text: t("tracker.history") }),
      history,
    );
    box.hidden = false;
    box.setAttribute("data-id", feature.id);
    box.setAttribute("data-version", String(props.version));
    map = createActionMap(mapNode);
    map.show(feature);
    await Promise.all([showComments(comments, feature.id), showHistory(history, feature.id)]);
  }

  return {
    /* Show action `id` (its newest version). */
    async open(id) {
      try {
        const { feature, etag } = await load(id);
        await render(feature, etag);
      } catch (err) {
        box.hidden = false;
        box.replaceChildren(el("p", { className: "form-error", text: errorText(err) }));
      }
    },
    current: () => current,
  };
}
