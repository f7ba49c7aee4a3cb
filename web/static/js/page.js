/*
 * What every page module shares: the page config (the JSON web/pages.py renders into
 * <script id="ketahanan-config">), its strings, vocabulary and styles, numbers and dates in
 * the page's language, a DOM builder, the toast and the place names. Draws no layer and
 * calls no API.
 *
 * User text only ever reaches the page through textContent (never innerHTML), so a title
 * like <img onerror=...> stays text.
 */

export const cfg = JSON.parse(document.getElementById("ketahanan-config").textContent);

const numbers = new Intl.NumberFormat(cfg.numberLocale, { maximumFractionDigits: 3 });
const whole = new Intl.NumberFormat(cfg.numberLocale, { maximumFractionDigits: 0 });
const dates = new Intl.DateTimeFormat(cfg.numberLocale, { dateStyle: "medium", timeStyle: "short" });
const days = new Intl.DateTimeFormat(cfg.numberLocale, { dateStyle: "medium", timeZone: "UTC" });

/* Every admin unit the build has, by code: {nama, lon, lat, parent} (cfg.places rows). */
export const places = Object.fromEntries(
  (cfg.places || []).map(([kode, nama, lon, lat, parent]) => [kode, { kode, nama, lon, lat, parent }]),
);

/* The page's string for `key` (the key itself when the catalogue lacks it). */
export function t(key) {
  return Object.hasOwn(cfg.strings, key) ? cfg.strings[key] : key;
}

/* The label of a word of the vocabulary: label("pillars", id), label("statuses", id), ... */
export function label(kind, id) {
  const word = cfg.vocabulary[kind].find((w) => w.id === id);
  return word ? word.label : String(id ?? "");
}

/* A value as the page shows it: a number in the page's language, "no data" for null. */
export function fmt(value) {
  if (value === null || value === undefined || value === "") {
    return t("legend.no_data");
  }
  return typeof value === "number" ? numbers.format(value) : String(value);
}

/* A whole number (a budget, a count) in the page's language. */
export function fmtWhole(value) {
  return value === null || value === undefined ? "–" : whole.format(value);
}

/* An ISO instant ("2025-01-15T08:30:00Z") as a date and time in the page's language. */
export function fmtTime(iso) {
  return iso ? dates.format(new Date(iso)) : "–";
}

/* An ISO date ("2025-01-15") in the page's language. */
export function fmtDay(iso) {
  return iso ? days.format(new Date(`${iso}T00:00:00Z`)) : "–";
}

/* "Penjaringan (Penjaringan, Jakarta Utara)": a unit code's name with its parents. */
export function placeName(kode, withParents = false) {
  const place = places[kode];
  if (!place) {
    return kode;
  }
  const parents = [];
  for (let p = places[place.parent]; withParents && p; p = places[p.parent]) {
    parents.push(p.nama);
  }
  return parents.length ? `${place.nama} (${parents.join(", ")})` : place.nama;
}

/* "Kecamatan Penjaringan, Kota Jakarta Utara": the units a unit lies in, by level and name. */
export function parentsText(kode) {
  const names = [];
  for (let p = places[places[kode]?.parent]; p; p = places[p.parent]) {
    const level = cfg.codeLevels?.[String(p.kode.split(".").length)];
    names.push(level ? `${label("levels", level)} ${p.nama}` : p.nama);
  }
  return names.join(", ");
}

/* Build an element; `text` is set with textContent, other attributes with setAttribute. */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "text") {
      node.textContent = String(value);
    } else if (name === "className") {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child);
    }
  }
  return node;
}

let toastTimer = null;

/*
 * A short message at the bottom of the page (red when it reports an error); with
 * action = {label, run} it carries a button (e.g. "Urungkan") and stays longer.
 */
export function toast(message, isError = false, action = null) {
  let box = document.getElementById("ketahanan-toast");
  if (!box) {
    box = el("div", { id: "ketahanan-toast", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  box.replaceChildren(el("span", { className: "toast-text", text: message }));
  if (action) {
    const button = el("button", { type: "button", className: "toast-action", text: action.label });
    button.addEventListener("click", () => {
      box.className = "";
      action.run();
    });
    box.append(button);
  }
  box.className = isError ? "visible error" : "visible";
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.className = "";
  }, action ? 12000 : 5000);
}
