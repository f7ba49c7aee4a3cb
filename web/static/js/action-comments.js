/*
 * An action's comment thread (GET/POST /collections/actions/items/{id}/comments): oldest
 * first, each with its author, organisation and time; a deleted comment shows as a
 * tombstone. Every text is written with textContent (never innerHTML).
 */
import { whoWhen } from "./action-fields.js";
import { authHeaders, errorText, getToken, itemUrl, request } from "./api.js";
import { el, t } from "./page.js";

function item(c) {
  const who = c.organisation ? `${c.author} (${c.organisation})` : c.author;
  const head = el("div", { className: "muted", text: whoWhen(who, c.created_at) });
  const body = c.deleted
    ? el("p", { className: "muted comment-deleted",
      text: `${t("comments.deleted")} ${whoWhen(c.deleted_by, c.deleted_at)}` })
    : el("p", { className: "comment-text", text: c.text });
  return el("li", { className: "comment", "data-id": c.id }, [head, body]);
}

/* Fill `box` with the thread of action `id`, and a form to add to it when signed in. */
export async function showComments(box, id) {
  const url = `${itemUrl("actions", id)}/comments`;
  box.replaceChildren(el("p", { className: "muted", text: t("legend.loading") }));
  let comments;
  try {
    ({ comments } = (await request(url)).data);
  } catch (err) {
    box.replaceChildren(el("p", { className: "form-error", text: errorText(err) }));
    return;
  }
  const list = el("ol", { className: "comments", id: "action-comments",
    "aria-label": t("comments.title") }, comments.map(item));
  const parts = [comments.length ? list : el("p", { className: "muted", text: t("comments.none") })];
  if (getToken()) {
    const text = el("textarea", { id: "comment-text", rows: "3",
      "aria-label": t("comments.add") });
    const error = el("p", { className: "form-error", role: "alert" });
    const send = el("button", { type: "button", id: "comment-send", text: t("comments.add") });
    send.addEventListener("click", async () => {
      try {
        await request(url, { method: "POST", body: JSON.stringify({ text: text.value }),
          headers: authHeaders({ "Content-Type": "application/json" }) });
        await showComments(box, id);
      } catch (err) {
        error.textContent = errorText(err);
      }
    });
    parts.push(text, send, error);
  }
  box.replaceChildren(...parts);
}
