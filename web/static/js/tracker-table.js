/*
 * The tracker's table: one server page of GET /collections/actions/items with the filters
 * of the form (text search, pillar, status, lead agency, kota, kecamatan), so 2,000 actions
 * stay as fast as 20. Columns: title, pillar, status, progress bar, lead agency, places, last
 * change (who, when), the last changed first. The filters and the page live in the URL (a
 * filtered list is a link);
 * a newer request replaces an older one still under way. A row opens the action (onSelect).
 */
import { progressBar, statusBadge, whoWhen } from "./action-fields.js";
import { placesText } from "./action-view.js";
import { P, errorText, itemsUrl, request } from "./api.js";
import { cfg, el, fmtWhole, label, t } from "./page.js";

const TYPING_MS = 250;
const NEWEST_CHANGE_FIRST = "-updated_at"; // the API's sortby: the last changed on top

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/* form: the filter <form>; table: the <table>; onSelect(id). */
export function createTrackerTable({ form, table, count, prev, next, onSelect }) {
  const body = table.tBodies[0];
  let offset = Number(new URLSearchParams(window.location.search).get(P.offset)) || 0;
  let controller = null;
  let selected = null;

  function filters() {
    const values = {};
    for (const name of cfg.filters) {
      const value = form.elements[name]?.value.trim();
      if (value) {
        values[name] = value;
      }
    }
    return values;
  }

  function keepInUrl(values) {
    const search = new URLSearchParams({ ...values, lang: cfg.lang });
    if (offset) {
      search.set(P.offset, String(offset));
    }
    if (selected) {
      search.set("id", selected);
    }
    window.history.replaceState(null, "", `/aksi?${search}`);
  }

  function row(feature) {
    const props = feature.properties;
    const open = el("button", { type: "button", className: "link-button row-open",
      text: props.title });
    const tr = el("tr", { "data-id": feature.id, "data-version": String(props.version) }, [
      el("th", { scope: "row" }, [open]),
      el("td", { text: label("pillars", props.pillar) }),
      el("td", { "data-status": props.status }, [statusBadge(props.status)]),
      el("td", { "data-progress": String(props.progress) }, [progressBar(props.progress)]),
      el("td", { text: props.lead_agency }),
      el("td", { text: placesText(props, 3) }),
      el("td", { className: "last-change", text: whoWhen(props.updated_by, props.updated_at) }),
    ]);
    tr.classList.toggle("selected", feature.id === selected);
    tr.addEventListener("click", () => onSelect(feature.id));
    return tr;
  }

  async function load() {
    const values = filters();
    keepInUrl(values);
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const url = itemsUrl("actions", { ...values, [P.sortby]: NEWEST_CHANGE_FIRST,
      [P.limit]: cfg.pageSize, [P.offset]: offset });
    document.body.setAttribute("data-rows", "loading");
    let data;
    try {
      ({ data } = await request(url, { signal: mine.signal }));
    } catch (err) {
      if (mine.signal.aborted) {
        return; // replaced by a newer request
      }
      count.textContent = errorText(err);
      document.body.setAttribute("data-rows", "error");
      return;
    }
    const total = data.numberMatched;
    body.replaceChildren(...data.features.map(row));
    if (!data.features.length) {
      body.append(el("tr", {}, [el("td", { colSpan: 7, className: "muted",
        text: t("tracker.none") })]));
    }
    count.textContent = total ? fill(t("tracker.count"), { from: fmtWhole(offset + 1),
      to: fmtWhole(offset + data.features.length), total: fmtWhole(total) }) : t("tracker.none");
    prev.disabled = offset === 0;
    next.disabled = offset + data.features.length >= total;
    document.body.setAttribute("data-rows", String(data.features.length));
    document.body.setAttribute("data-total", String(total));
  }

  let typing = null;
  form.addEventListener("input", (ev) => {
    clearTimeout(typing);
    offset = 0;
    typing = setTimeout(load, ev.target.tagName === "SELECT" ? 0 : TYPING_MS);
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    offset = 0;
    load();
  });
  prev.addEventListener("click", () => {
    offset = Math.max(0, offset - cfg.pageSize);
    load();
  });
  next.addEventListener("click", () => {
    offset += cfg.pageSize;
    load();
  });

  return {
    load,
    /* Mark the row of the action shown in the detail (null: none). */
    select(id) {
      selected = id;
      body.querySelectorAll("tr").forEach((tr) => tr.classList.toggle("selected",
        tr.getAttribute("data-id") === id));
      keepInUrl(filters());
    },
  };
}
