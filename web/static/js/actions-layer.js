/*
 * The resilience actions on the map: every action from GET /collections/actions/items, drawn
 * in its status colour, with a popup (title, summary, edit and delete buttons). Edit fetches
 * the action with its ETag and hands it to the form; delete asks once more, then sends
 * DELETE /collections/actions/items/{id} with the planner token and If-Match.
 */
import { actionPoint, actionStyle, actionSummary } from "./action-view.js";
import { P, fetchAll, getToken, itemUrl, itemsUrl, request } from "./api.js";
import { el, t, toast } from "./page.js";

/* map, group: folium's; onEdit(feature, etag) opens the form on a stored action. */
export function createActionsLayer({ map, group, onEdit }) {
  const layers = {}; // action id -> its Leaflet layer

  async function edit(id) {
    map.closePopup();
    try {
      const { data, headers } = await request(itemUrl("actions", id));
      onEdit(data, headers.get("ETag"));
    } catch {
      toast(t("error.load"), true);
    }
  }

  async function remove(id) {
    map.closePopup();
    const token = getToken();
    if (!token) {
      toast(t("error.unauthorized"), true);
      return;
    }
    try {
      const { headers } = await request(itemUrl("actions", id));
      await request(itemUrl("actions", id), {
        method: "DELETE",
        headers: { Authorization: `Bearer ${token}`, "If-Match": headers.get("ETag") },
      });
    } catch (err) {
      const key = { 401: "error.unauthorized", 403: "error.unauthorized", 412: "error.conflict",
        428: "error.conflict" }[err.status];
      toast(key ? t(key) : `${t("error.generic")} (${err.status})`, true);
      return;
    }
    if (layers[id]) {
      group.removeLayer(layers[id]);
      delete layers[id];
    }
    toast(t("action.deleted"));
  }

  function popup(feature) {
    const props = feature.properties;
    const editButton = el("button", { type: "button", className: "action-edit",
      text: t("action.edit") });
    const deleteButton = el("button", { type: "button", className: "action-delete",
      text: t("action.delete") });
    editButton.addEventListener("click", () => edit(feature.id));
    deleteButton.addEventListener("click", () => {
      if (deleteButton.getAttribute("data-armed") === "1") {
        remove(feature.id);
        return;
      }
      deleteButton.setAttribute("data-armed", "1");
      deleteButton.textContent = t("action.confirm_delete");
    });
    return el("div", { className: "action-popup", "data-action-id": String(feature.id) }, [
      el("h3", { className: "action-title", text: props.title }),
      actionSummary(props),
      el("div", { className: "buttons" }, [editButton, deleteButton]),
    ]);
  }

  /* Draw an action (replacing its older version); an action without geometry is not drawn. */
  function show(feature) {
    if (layers[feature.id]) {
      group.removeLayer(layers[feature.id]);
      delete layers[feature.id];
    }
    if (!feature.geometry) {
      return;
    }
    const layer = L.geoJSON(feature, { style: actionStyle, pointToLayer: actionPoint });
    layer.bindPopup(() => popup(feature));
    layers[feature.id] = layer;
    group.addLayer(layer);
  }

  async function load() {
    try {
      const { features } = await fetchAll(itemsUrl("actions", { [P.limit]: 1000 }));
      features.forEach(show);
      document.body.setAttribute("data-actions", String(features.length));
    } catch {
      document.body.setAttribute("data-actions", "error");
    }
  }

  return { load, show, layer: (id) => layers[id] ?? null };
}
