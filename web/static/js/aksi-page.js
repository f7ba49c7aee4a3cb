/*
 * The actions tracker's entry (/aksi): sign-in, the filters (the kecamatan list follows the
 * chosen kota), the server-paged table and the detail of the chosen action, kept in step:
 * a save, delete or restore in the detail reloads the table's page. Opens the action named
 * by ?id= (a link from the map's action popup).
 */
import { createActionDetail } from "./action-detail.js";
import { createSignIn } from "./auth.js";
import { cfg } from "./page.js";
import { createTrackerTable } from "./tracker-table.js";

function kecamatanFollowsKota(form) {
  const kota = form.elements.kota;
  const kecamatan = form.elements.kecamatan;
  const apply = () => {
    for (const option of kecamatan.querySelectorAll("option[data-kota]")) {
      option.hidden = Boolean(kota.value) && option.getAttribute("data-kota") !== kota.value;
    }
    const chosen = kecamatan.selectedOptions[0];
    if (chosen?.hidden) {
      kecamatan.value = "";
    }
  };
  kota.addEventListener("change", apply);
  apply();
}

function start() {
  createSignIn(document.getElementById("ketahanan-signin"));
  const form = document.getElementById("tracker-filters");
  kecamatanFollowsKota(form);
  const detailBox = document.getElementById("action-detail");
  const table = createTrackerTable({
    form,
    table: document.getElementById("tracker-table"),
    count: document.getElementById("tracker-count"),
    prev: document.getElementById("tracker-prev"),
    next: document.getElementById("tracker-next"),
    onSelect: (id) => {
      table.select(id);
      detail.open(id);
    },
  });
  const detail = createActionDetail(detailBox, {
    onChanged: () => table.load(),
    onClose: () => {
      detailBox.hidden = true;
      table.select(null);
    },
  });
  table.load();
  if (cfg.selected) {
    table.select(cfg.selected);
    detail.open(cfg.selected);
  }
  window.ketahanan = { table, detail }; // for the browser tests and the console
}

start();
