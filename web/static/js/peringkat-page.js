/*
 * The ranking page's entry (/peringkat): the table is built on the server; this module adds
 * sign-in, sortable columns, and applies a changed filter at once (the form is a plain GET
 * form, so the page also works without it; a filtered ranking is a link).
 */
import { createSignIn } from "./auth.js";
import { makeSortable } from "./table-sort.js";

function start() {
  createSignIn(document.getElementById("ketahanan-signin"));
  const table = document.getElementById("ranking-table");
  if (table) {
    makeSortable(table);
  }
  const form = document.getElementById("rank-filters");
  form.addEventListener("change", (ev) => {
    // a new pillar has other indicators, a new kota other kecamatan: the page says which
    const resets = ev.target.getAttribute("data-resets");
    if (resets && form.elements[resets]) {
      form.elements[resets].value = "";
    }
    form.requestSubmit();
  });
  document.body.setAttribute("data-ready", "1");
}

start();
