/*
 * The resilience actions on the map: every action from GET /collections/actions/items, in
 * one L.geoJSON layer whose features carry the action id, drawn in their own pane above every
 * thematic layer, so a click on an action always opens that action. An action given by unit
 * codes is drawn as its units' outlines with a marker at each unit's representative point.
 * The popup has the title, the summary and edit, delete (asked once more, with undo) and
 * "open in the tracker". Counts the actions of a pillar touching a unit (popup and table).
 */
import { actionPoint, actionStyle, actionSummary } from "./action-view.js";
import { P, authHeaders, errorText, fetchAll, itemUrl, itemsUrl, query, request } from "./api.js";
import { ensureWriter, tokenRefused } from "./auth.js";
import { cfg, el, t, toast } from "./page.js";
import { ACTIONS_PANE } from "./panes.js";

const PAGE = 1000;

/* The marker at a unit's representative point (Leaflet hands each part of a geometry
 * collection over as a feature without the id: the id travels in the properties). */
function pin(feature, latlng) {
  const id = String(feature.id ?? feature.properties.__id).replace(/[^0-9a-fA-F-]/g, "");
  const status = feature.properties.status || cfg.vocabulary.status_default;
  const colour = cfg.styles.statuses[status];
  const icon = L.divIcon({
    className: `ketahanan-action-pin status-${status}`,
    html: `<span style="background:${colour}" data-action-id="${id}"></span>`,
    iconSize: [18, 18],
    iconAnchor: [9, 18],
    popupAnchor: [0, -16],
  });
  return L.marker(latlng, { icon, pane: ACTIONS_PANE, title: feature.properties.title,
    alt: feature.properties.title, keyboard: true });
}

function style(feature) {
  const base = actionStyle(feature);
  if (!feature.properties.__unit) {
    return base;
  }
  return { ...base, ...cfg.styles.unit_action, className: `${base.className} ketahanan-action-unit` };
}

/* map, group: folium's; outlines: unit outlines; onEdit(feature, etag) opens the form. */
export function createActionsLayer({ map, group, outlines, onEdit, onChange }) {
  const byId = {}; // action id -> {feature, layer}
  let added = null; // the layer L.geoJSON made for the feature just added
  const layer = L.geoJSON(null, {
    pane: ACTIONS_PANE,
    style,
    pointToLayer: (f, latlng) => (f.properties.__unit ? pin(f, latlng)
      : actionPoint(f, latlng, ACTIONS_PANE)),
    onEachFeature: (feature, made) => {
      made.bindPopup(() => popup(feature), { maxWidth: 320 });
      added = made;
    },
  });
  group.addLayer(layer);

  async function edit(id) {
    map.closePopup();
    try {
      const { data, headers } = await request(itemUrl("actions", id));
      onEdit(data, headers.get("ETag"));
    } catch (err) {
      toast(errorText(err), true);
    }
  }

  async function restore(id) {
    try {
      const { data } = await request(`${itemUrl("actions", id)}/restore`, {
        method: "POST", headers: authHeaders({ Accept: "application/geo+json" }) });
      await show(data);
      toast(t("action.restored"));
    } catch (err) {
      toast(errorText(err), true);
    }
  }

  async function remove(id) {
    map.closePopup();
    if (!(await ensureWriter())) {
      return;
    }
    try {
      const { headers } = await request(itemUrl("actions", id));
      await request(itemUrl("actions", id), {
        method: "DELETE", headers: authHeaders({ "If-Match": headers.get("ETag") }) });
    } catch (err) {
      if (err.status === 401) {
        tokenRefused();
      } else {
        toast(errorText(err), true);
      }
      return;
    }
    drop(id);
    toast(t("action.deleted"), false, { label: t("action.undo"), run: () => restore(id) });
  }

  function popup(feature) {
    const id = feature.id;
    const editButton = el("button", { type: "button", className: "action-edit",
      text: t("action.edit") });
    const deleteButton = el("button", { type: "button", className: "action-delete",
      text: t("action.delete") });
    editButton.addEventListener("click", () => edit(id));
    deleteButton.addEventListener("click", () => {
      if (deleteButton.getAttribute("data-armed") === "1") {
        remove(id);
        return;
      }
      deleteButton.setAttribute("data-armed", "1");
      deleteButton.textContent = t("action.confirm_delete");
    });
    const tracker = el("a", { className: "action-open button-link",
      href: `/aksi${query({ id, lang: cfg.lang })}`, text: t("action.open_tracker") });
    return el("div", { className: "action-popup", "data-action-id": String(id) }, [
      el("h3", { className: "action-title", text: feature.properties.title }),
      actionSummary(feature.properties),
      el("div", { className: "buttons" }, [editButton, deleteButton, tracker]),
    ]);
  }

  function drop(id) {
    if (byId[id]) {
      layer.removeLayer(byId[id].layer);
      delete byId[id];
      onChange?.();
    }
  }

  /* The feature drawn for an action: its own geometry, or its units' outlines and points. */
  async function drawable(feature) {
    if (feature.geometry) {
      return feature;
    }
    const codes = feature.properties.unit_codes || [];
    const geometries = [...(await outlines.outlines(codes)), ...outlines.points(codes)];
    if (!geometries.length) {
      return null;
    }
    return { ...feature, properties: { ...feature.properties, __unit: true, __id: feature.id },
      geometry: { type: "GeometryCollection", geometries } };
  }

  /* Draw an action (replacing its older version). */
  async function show(feature) {
    const drawn = await drawable(feature);
    if (byId[feature.id]) {
      layer.removeLayer(byId[feature.id].layer);
    }
    if (!drawn) {
      delete byId[feature.id];
      return;
    }
    layer.addData(drawn);
    byId[feature.id] = { feature, layer: added };
    onChange?.();
  }

  async function load() {
    try {
      const { features } = await fetchAll(itemsUrl("actions", { [P.limit]: PAGE }));
      await Promise.all(features.map(show));
      document.body.setAttribute("data-actions", String(features.length));
    } catch {
      document.body.setAttribute("data-actions", "error");
    }
  }

  /* How many actions of `pillar` touch the unit `kode` (a kelurahan or any larger unit). */
  function count(kode, pillar = cfg.pillar) {
    const prefix = `${kode}.`;
    return Object.values(byId).filter(({ feature }) => feature.properties.pillar === pillar &&
      (feature.properties.kelurahan || []).some((k) => k === kode || k.startsWith(prefix)))
      .length;
  }

  /* Every action drawn (its feature, as the API gave it). */
  const features = () => Object.values(byId).map((drawn) => drawn.feature);

  return { load, show, count, features, layer: (id) => byId[id]?.layer ?? null };
}
