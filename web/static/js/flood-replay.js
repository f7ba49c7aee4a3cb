/*
 * The replay of the February 2017 flood on /peta: a box with a time slider over the 73
 * hourly snapshots, play/pause and step buttons, the depth legend, the chart of flooded RWs
 * per hour and the hour's figures. The event is fetched once (cfg.replay.url: every RW's
 * polygon once, and per hour the RWs flooded with their states); the RWs are drawn once and
 * an hour change only restyles those whose state changed. The hour is the page URL's
 * `banjir` parameter (UTC, e.g. 2017-02-21T05:00:00Z), kept with history.replaceState, so a
 * reload or a shared link opens the same hour.
 */
import { authHeaders, request } from "./api.js";
import { createFloodChart } from "./flood-chart.js";
import { createFloodFacts } from "./flood-facts.js";
import { cfg, el, t, toast } from "./page.js";

const PLAY_MS = 700;
const SMALL_SCREEN = "(max-width: 700px)";
const STATES = ["2", "3", "4", "1"];
const hourText = new Intl.DateTimeFormat(cfg.numberLocale, { weekday: "short", day: "numeric",
  month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Asia/Jakarta" });

function legend() {
  const styles = cfg.styles.flood_states;
  return el("div", { className: "replay-legend", "aria-label": t("replay.legend") }, [
    el("span", { className: "muted", text: t("replay.legend") }),
    ...STATES.map((s) => el("span", { className: "replay-legend-item" }, [
      el("span", { className: "swatch", style: `background:${styles[s].fillColor};` +
        `border-color:${styles[s].color}` }),
      el("span", { text: t(`replay.state.${s}`) }),
    ])),
  ]);
}

function urlHour() {
  return new URLSearchParams(window.location.search).get(cfg.replay.param);
}

function keepHour(utc) {
  const url = new URL(window.location.href);
  if (utc) {
    url.searchParams.set(cfg.replay.param, utc);
  } else {
    url.searchParams.delete(cfg.replay.param);
  }
  window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
}

/*
 * map: the Leaflet map; actions: the actions layer (its features()); onOpen() when the replay
 * opens on a small screen (the page folds its panel there). Returns the handles.
 */
export function createFloodReplay({ map, actions, onOpen }) {
  const toggle = el("button", { type: "button", id: "replay-toggle", className: "replay-toggle",
    "aria-expanded": "false", "aria-controls": "replay-body", text: t("replay.open") });
  const body = el("div", { id: "replay-body", className: "replay-body", hidden: true });
  const box = el("section", { id: "ketahanan-replay", className: "ketahanan-replay",
    "aria-label": t("replay.title") }, [toggle, body]);
  const Box = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Box().addTo(map);

  let doc = null;
  let loading = null;
  let group = null; // the RW polygons, drawn once
  let layers = []; // each RW's polygon, by its position in doc.rw
  let shown = []; // the state each RW is drawn with ("dry" or "1".."4")
  let index = null;
  let timer = null;
  let ui = null;
  let links = null; // the actions that can touch the event (/peta/banjir-2017/aksi)

  /* Ask which actions can touch the event (again on every open: the store changes). */
  function loadLinks() {
    request(cfg.replay.actionsUrl, { headers: authHeaders() }).then(({ data }) => {
      links = data.actions;
      if (index !== null) {
        ui.facts.show(doc.hours[index]);
      }
    }).catch(() => {}); // the drawn actions' kelurahan stand in (flood-facts.js)
  }

  function styleOf(state) {
    return cfg.styles.flood_states[state];
  }

  /* Draw hour i: restyle the RWs that changed, move the slider and chart, show the figures. */
  function setHour(i, { keep = true } = {}) {
    const hour = doc.hours[i];
    const next = new Array(layers.length).fill("dry");
    hour.rw.forEach((pos, k) => (next[pos] = String(hour.state[k])));
    for (let pos = 0; pos < layers.length; pos += 1) {
      if (next[pos] !== shown[pos]) {
        layers[pos].setStyle(styleOf(next[pos]));
        if (next[pos] !== "dry") {
          layers[pos].bringToFront();
        }
      }
    }
    shown = next;
    index = i;
    ui.slider.value = String(i);
    const text = `${hourText.format(new Date(hour.utc))} WIB`;
    ui.slider.setAttribute("aria-valuetext", `${text}: ${hour.count} ${t("replay.rw")}`);
    ui.time.textContent = text;
    ui.chart.mark(i);
    ui.facts.show(hour);
    box.setAttribute("data-hour", hour.utc);
    box.setAttribute("data-count", String(hour.count));
    if (keep) {
      keepHour(hour.utc);
    }
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    ui.play.textContent = t("replay.play");
    ui.play.setAttribute("aria-pressed", "false");
  }

  function play() {
    if (timer) {
      stop();
      return;
    }
    if (index >= doc.hours.length - 1) {
      setHour(0);
    }
    ui.play.textContent = t("replay.pause");
    ui.play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => (index >= doc.hours.length - 1 ? stop() : setHour(index + 1)),
      PLAY_MS);
  }

  function build() {
    const last = doc.hours.length - 1;
    const button = (cls, label, text, run) => {
      const b = el("button", { type: "button", id: cls, className: cls, "aria-label": label,
        title: label, text });
      b.addEventListener("click", run);
      return b;
    };
    const slider = el("input", { type: "range", id: "replay-slider", min: 0, max: last,
      step: 1, value: 0, "aria-label": t("replay.slider") });
    slider.addEventListener("input", () => setHour(Number(slider.value)));
    const facts = el("div", { id: "replay-facts", className: "replay-facts",
      "aria-live": "polite" });
    ui = {
      slider,
      time: el("output", { id: "replay-time", className: "replay-time", for: "replay-slider" }),
      play: button("replay-play", t("replay.play"), t("replay.play"), play),
      chart: createFloodChart(doc.hours.map((h) => h.count), {
        onPick: (i) => {
          stop();
          setHour(i);
        },
      }),
      facts: createFloodFacts(facts, { actions: () => actions?.features?.() ?? [],
        links: () => links }),
    };
    ui.play.setAttribute("aria-pressed", "false");
    const step = (d) => () => {
      stop();
      setHour(Math.min(last, Math.max(0, index + d)));
    };
    body.replaceChildren(
      el("h2", { text: t("replay.title") }),
      ui.time,
      el("label", { className: "replay-slider", for: "replay-slider" }, [
        el("span", { className: "visually-hidden", text: t("replay.slider") }), slider]),
      el("div", { className: "replay-buttons" }, [
        button("replay-prev", t("replay.prev"), "◀", step(-1)),
        ui.play,
        button("replay-next", t("replay.next"), "▶", step(1)),
      ]),
      legend(),
      ui.chart.node,
      facts,
      el("p", { className: "muted replay-source", text: t("replay.source") }),
    );
    layers = new Array(doc.rw.features.length);
    group = L.geoJSON(doc.rw, { style: styleOf("dry"), interactive: false,
      onEachFeature: (feature, layer) => (layers[feature.id] = layer) });
    shown = new Array(layers.length).fill("dry");
  }

  async function load() {
    if (!loading) {
      body.replaceChildren(el("p", { className: "muted", text: t("replay.loading") }));
      loading = request(cfg.replay.url).then(({ data }) => {
        doc = data;
        Object.assign(cfg.strings, data.strings); // the replay's words and styles come with it
        Object.assign(cfg.styles, data.styles);
        build();
        document.body.setAttribute("data-replay", "ready");
      }).catch(() => {
        loading = null;
        document.body.setAttribute("data-replay", "error");
        toast(`${t("error.load")}: ${t("replay.title")}`, true);
      });
    }
    return loading;
  }

  function peak() {
    return doc.hours.reduce((best, h, i) => (h.count > doc.hours[best].count ? i : best), 0);
  }

  async function open(utc = null) {
    body.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    toggle.textContent = t("replay.close");
    box.classList.add("open");
    if (window.matchMedia(SMALL_SCREEN).matches) {
      onOpen?.(); // on a phone the panel and the replay share the screen
    }
    await load();
    if (!doc) {
      return;
    }
    loadLinks();
    const wanted = utc ? doc.hours.findIndex((h) => h.utc === utc) : -1;
    group.addTo(map);
    setHour(wanted >= 0 ? wanted : index ?? peak());
  }

  function close() {
    if (ui) {
      stop();
    }
    body.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.textContent = t("replay.open");
    box.classList.remove("open");
    group?.remove();
    keepHour(null);
  }

  toggle.addEventListener("click", () => (body.hidden ? open() : close()));
  const start = urlHour();
  if (start) {
    open(start);
  }
  return {
    open,
    close,
    /* Draw hour i (the benchmark and the browser tests time and check this). */
    setHour: (i) => setHour(i),
    hours: () => doc?.hours ?? [],
  };
}
