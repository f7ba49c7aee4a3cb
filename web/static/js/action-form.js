/*
 * The action form: a new action for a shape just drawn or for a kelurahan or kecamatan (its
 * popup's button, or a right-click), POST /collections/actions/items; or an edit of a stored
 * one (PUT .../items/{id} with If-Match). Pillars and statuses come from the page vocabulary.
 * Saving needs a signed-in planner (the sign-in dialog opens when nobody is). A field the API
 * refuses ({details: [{field}]}) is marked with what it expects, in the page's language.
 */
import { authHeaders, errorText, itemUrl, itemsUrl, request } from "./api.js";
import { ensureWriter, tokenRefused } from "./auth.js";
import { cfg, el, placeName, t, toast } from "./page.js";

/* [property, input kind, label key, required] */
const FIELDS = [
  ["title", "text", "action.title", true],
  ["description", "textarea", "action.description", false],
  ["pillar", "pillars", "action.pillar", true],
  ["lead_agency", "text", "action.agency", true],
  ["partners", "text", "action.partners", false],
  ["status", "statuses", "action.status", true],
  ["progress", "number", "action.progress", false],
  ["budget_idr", "number", "action.budget", false],
  ["start_date", "date", "action.start_date", false],
  ["end_date", "date", "action.end_date", false],
];

function input(name, kind, value) {
  let node;
  if (kind === "textarea") {
    node = el("textarea", { name, rows: 3 });
  } else if (kind in cfg.vocabulary) {
    const options = cfg.vocabulary[kind].map((w) => el("option", { value: w.id, text: w.label }));
    node = el("select", { name }, options);
  } else {
    node = el("input", { type: kind, name });
    if (kind === "number") {
      node.setAttribute("min", "0");
      if (name === "progress") {
        node.setAttribute("max", "100");
      }
    }
  }
  if (value !== null && value !== undefined) {
    node.value = String(value);
  }
  node.id = `action-field-${name}`;
  return node;
}

function row(name, text, control, extra = [], className = "form-row") {
  return el("div", { className, "data-field": name }, [
    el("label", { for: control.id, text }),
    control,
    ...extra,
    el("span", { className: "field-error", "data-error-for": name, role: "alert" }),
  ]);
}

/* The action properties the form holds. */
function read(node) {
  const props = {};
  for (const [name, kind] of FIELDS) {
    const raw = node.querySelector(`[name="${name}"]`).value.trim();
    if (name === "partners") {
      props.partners = raw ? raw.split(",").map((s) => s.trim()).filter(Boolean) : [];
    } else if (kind === "number") {
      props[name] = raw === "" ? null : Number(raw);
    } else if (kind === "date") {
      props[name] = raw === "" ? null : raw;
    } else {
      props[name] = raw;
    }
  }
  props.progress ??= 0;
  if (props.budget_idr === null) {
    delete props.budget_idr;
  }
  return props;
}

/* drawn: folium's group of drawn shapes; onSaved(feature) with the stored action. */
export function createActionForm({ drawn, onSaved }) {
  let form = null; // {node, drawnLayer, existing, etag, unitCode}

  function close() {
    if (form) {
      if (form.drawnLayer) {
        drawn.removeLayer(form.drawnLayer);
      }
      form.node.remove();
      form = null;
    }
  }

  /* Mark a field (or the form) with what it expects, in the page's language. */
  function showError(field, message = null) {
    const name = String(field || "").split(".").pop();
    const slot = form.node.querySelector(`[data-error-for="${CSS.escape(name)}"]`) ||
      form.node.querySelector('[data-error-for="_form"]');
    const general = slot.getAttribute("data-error-for") === "_form";
    const key = `invalid.${name}`;
    const text = message ?? (t(key) === key ? t("error.invalid_field") : t(key));
    if (!slot.textContent.includes(text)) {
      slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
    }
    if (!general) {
      form.node.querySelector(`[data-field="${CSS.escape(name)}"]`)?.classList.add("invalid");
    }
  }

  function showApiError(err) {
    if ((err.status === 400 || err.status === 422) && err.details.length) {
      err.details.forEach((d) => showError(d.field));
    } else if (err.status === 401) {
      tokenRefused();
      showError("_form", t("error.unauthorized"));
    } else {
      showError("_form", errorText(err));
    }
  }

  /* The checks the page can make before sending (the API checks everything again). */
  function precheck(props) {
    const bad = [];
    if (!props.title) {
      bad.push("title");
    }
    if (!props.lead_agency) {
      bad.push("lead_agency");
    }
    if (!Number.isInteger(props.progress) || props.progress < 0 || props.progress > 100) {
      bad.push("progress");
    }
    if (props.budget_idr != null && (!Number.isInteger(props.budget_idr) || props.budget_idr < 0)) {
      bad.push("budget_idr");
    }
    if (props.start_date && props.end_date && props.end_date < props.start_date) {
      bad.push("end_date");
    }
    bad.forEach((name) => showError(name));
    return bad.length === 0;
  }

  async function submit() {
    form.node.querySelectorAll("[data-error-for]").forEach((n) => (n.textContent = ""));
    form.node.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
    const { existing, drawnLayer, unitCode } = form;
    const shown = read(form.node);
    if (!precheck(shown) || !(await ensureWriter())) {
      return;
    }
    // an edit keeps what the form does not show: unit codes, kind, source, strategy goal
    const properties = existing ? { ...existing.properties, ...shown } : shown;
    if (existing) {
      properties.unit_codes = existing.properties.unit_codes || [];
    }
    if (unitCode) {
      properties.unit_codes = [unitCode];
    }
    let geometry = null;
    if (existing) {
      geometry = existing.geometry;
    } else if (drawnLayer) {
      geometry = drawnLayer.toGeoJSON().geometry;
    }
    const headers = authHeaders({ "Content-Type": "application/geo+json",
      Accept: "application/geo+json" });
    if (existing) {
      headers["If-Match"] = form.etag;
    }
    try {
      const url = existing ? itemUrl("actions", existing.id) : itemsUrl("actions");
      const { data } = await request(url, {
        method: existing ? "PUT" : "POST",
        headers,
        body: JSON.stringify({ type: "Feature", geometry, properties }),
      });
      close(); // the saved action, drawn by onSaved, replaces the drawn shape
      onSaved(data);
      toast(t("action.saved"));
    } catch (err) {
      showApiError(err);
    }
  }

  /* opts: {layer} (a drawn shape), {unitCode, unitName} or {feature, etag} (a stored action) */
  function open(opts) {
    close();
    const existing = opts.feature || null;
    const props = existing ? existing.properties
      : { pillar: cfg.pillar, status: cfg.vocabulary.status_default, progress: 0 };
    const node = el("form", { id: "ketahanan-action-form", className: "ketahanan-form",
      novalidate: true, "aria-labelledby": "action-form-title" });
    node.append(el("h2", { id: "action-form-title",
      text: existing ? t("action.edit") : t("action.new") }));
    if (opts.unitCode) {
      node.append(el("p", { className: "muted form-place",
        text: `${t("action.places")}: ${placeName(opts.unitCode, true)}` }));
    }
    for (const [name, kind, key, required] of FIELDS) {
      const value = Array.isArray(props[name]) ? props[name].join(", ") : props[name];
      node.append(row(name, t(key) + (required ? " *" : ""), input(name, kind, value)));
    }
    const cancel = el("button", { type: "button", text: t("action.cancel") });
    cancel.addEventListener("click", close);
    node.append(
      el("p", { className: "form-error", "data-error-for": "_form", role: "alert" }),
      el("div", { className: "buttons" }, [
        el("button", { type: "submit", className: "primary", text: t("action.save") }), cancel]),
    );
    node.addEventListener("submit", (ev) => {
      ev.preventDefault();
      submit();
    });
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
    document.body.append(node);
    form = { node, drawnLayer: opts.layer || null, existing, etag: opts.etag || null,
      unitCode: opts.unitCode || null };
    node.querySelector("[name=title]").focus();
  }

  return { open };
}
