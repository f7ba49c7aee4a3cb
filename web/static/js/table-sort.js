/*
 * Sortable tables: every <th> with data-sort ("number" or "text") of a table.sortable gets a
 * button; a click sorts the body rows by that column's cells (their data-value, else their
 * text), ascending then descending, empty values always last, and sets aria-sort. Used by the
 * ranking page and the ranked table beside the map. Calls no API.
 */
import { cfg } from "./page.js";

const collator = new Intl.Collator(cfg.numberLocale, { sensitivity: "base", numeric: true });

function cellValue(row, index, kind) {
  const cell = row.cells[index];
  const raw = cell?.getAttribute("data-value") ?? cell?.textContent ?? "";
  if (raw === "") {
    return null;
  }
  if (kind === "number") {
    const number = Number(raw);
    return Number.isFinite(number) ? number : null;
  }
  return raw;
}

/* Sort `table`'s body by column `index` (ascending unless `descending`). */
export function sortTable(table, index, descending = false) {
  const head = table.tHead.rows[0].cells[index];
  const kind = head.getAttribute("data-sort");
  const body = table.tBodies[0];
  const rows = [...body.rows].map((row) => ({ row, value: cellValue(row, index, kind) }));
  rows.sort((a, b) => {
    if (a.value === null || b.value === null) {
      return (a.value === null) - (b.value === null);
    }
    const order = kind === "number" ? a.value - b.value : collator.compare(a.value, b.value);
    return descending ? -order : order;
  });
  body.append(...rows.map((r) => r.row));
  for (const th of table.tHead.rows[0].cells) {
    th.removeAttribute("aria-sort");
  }
  head.setAttribute("aria-sort", descending ? "descending" : "ascending");
}

/* Give each sortable header of `table` its button. */
export function makeSortable(table) {
  const cells = [...table.tHead.rows[0].cells];
  cells.forEach((th, index) => {
    if (!th.hasAttribute("data-sort") || th.querySelector("button")) {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      const descending = th.getAttribute("aria-sort") === "ascending";
      sortTable(table, index, descending);
    });
  });
}
