/*
 * The replay's figures for the hour shown: the RWs flooded, the kelurahan touched (count and
 * list), the people living in flooded RWs (the server's estimate, labelled with its formula)
 * and the actions touching flooded places: from /peta/banjir-2017/aksi (an action's geometry
 * intersects a RW flooded then, or a kelurahan it is attached to is touched), or, until that
 * answers, the drawn actions whose kelurahan are touched.
 * Rebuilt on every hour change; user text reaches the page through textContent only.
 */
import { cfg, el, fmtWhole, placeName, t } from "./page.js";

function figure(id, labelText, value) {
  return el("div", { className: "replay-figure", id }, [
    el("span", { className: "replay-figure-label", text: labelText }),
    el("strong", { className: "replay-figure-value", text: value }),
  ]);
}

/* A <details> list: summary = label and count, items = nodes (or "none"). */
function listBox(id, labelText, items) {
  const list = items.length
    ? el("ul", { className: "replay-list" }, items)
    : el("p", { className: "muted", text: t("replay.none") });
  return el("details", { id, className: "replay-details" }, [
    el("summary", { text: `${labelText}: ${fmtWhole(items.length)}` }),
    list,
  ]);
}

/* The actions touching hour `hour`: [{id, title}] (see the module comment). */
function touchingActions(hour, flooded, links, actions) {
  if (links) {
    const rws = new Set(hour.rw);
    return links.filter((l) => l.rw.some((p) => rws.has(p))
      || l.kelurahan.some((kode) => flooded.has(kode)));
  }
  return actions().filter((f) => (f.properties.kelurahan || []).some((kode) => flooded.has(kode)))
    .map((f) => ({ id: f.id, title: f.properties.title }));
}

/*
 * container: where the figures go; actions(): the features of the drawn actions; links():
 * the /peta/banjir-2017/aksi actions, or null before it answers.
 */
export function createFloodFacts(container, { actions, links }) {
  const open = {}; // which lists a planner opened, kept open across hours
  const keep = (box) => {
    box.open = Boolean(open[box.id]);
    box.addEventListener("toggle", () => (open[box.id] = box.open));
    return box;
  };
  return {
    /* Show hour `hour` of the replay document (its rw, kelurahan and people). */
    show(hour) {
      const flooded = new Set(hour.kelurahan.map(([kode]) => kode));
      const kelItems = hour.kelurahan.map(([kode, people]) => el("li", { "data-kode": kode }, [
        cfg.profiles
          ? el("a", { href: `/kelurahan/${encodeURIComponent(kode)}?lang=${cfg.lang}`,
            text: placeName(kode) })
          : el("span", { text: placeName(kode) }),
        el("span", { className: "muted", text: ` ~${fmtWhole(people)}` }),
      ]));
      const touching = touchingActions(hour, flooded, links(), actions);
      const actionItems = touching.map((a) => el("li", { "data-action-id": String(a.id) }, [
        el("a", { href: `/aksi?id=${encodeURIComponent(a.id)}&lang=${cfg.lang}`,
          text: a.title || String(a.id) }),
      ]));
      container.setAttribute("data-count", String(hour.count));
      container.setAttribute("data-kelurahan", String(hour.kelurahan.length));
      container.setAttribute("data-people", String(hour.people));
      container.setAttribute("data-actions", String(touching.length));
      container.replaceChildren(
        figure("replay-rw-count", t("replay.rw"), fmtWhole(hour.count)),
        figure("replay-people", t("replay.people"), `~${fmtWhole(hour.people)}`),
        keep(el("details", { id: "replay-people-how", className: "replay-details" }, [
          el("summary", { text: t("replay.people_how") }),
          el("p", { className: "muted", text: t("replay.people_formula") }),
        ])),
        keep(listBox("replay-kelurahan", t("replay.kelurahan"), kelItems)),
        keep(listBox("replay-actions", t("replay.actions"), actionItems)),
      );
    },
  };
}
