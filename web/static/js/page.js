/*
 * What every page module shares: the page config (the JSON web/pages.py renders into
 * <script id="ketahanan-config">), its strings, vocabulary and styles, numbers in the page's
 * language, a DOM builder and the toast. Draws no layer and calls no API.
 *
 * User text only ever reaches the page through textContent (never innerHTML), so a title
 * like <img onerror=...> stays text.
 */

export const cfg = JSON.parse(document.getElementById("ketahanan-config").textContent);

const numbers = new Intl.NumberFormat(cfg.numberLocale, { maximumFractionDigits: 3 });

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

/* A short message at the bottom of the page (red when it reports an error). */
export function toast(message, isError = false) {
  let box = document.getElementById("ketahanan-toast");
  if (!box) {
    box = el("div", { id: "ketahanan-toast", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  box.textContent = message;
  box.className = isError ? "visible error" : "visible";
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.className = "";
  }, 4000);
}
