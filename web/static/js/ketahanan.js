/*
 * Ketahanan planner pages: fills the folium map's empty layers from the OGC API items routes,
 * draws the legend from the API's classification, and lets planners add, edit and delete
 * resilience actions through the actions API.
 *
 * Every string comes from the translation catalogue rendered into the page
 * (<script id="ketahanan-config" type="application/json">). User text only ever reaches the
 * page through textContent (never innerHTML), so a title like <img onerror=...> stays text.
 */
(function () {
  "use strict";

  var cfgNode = document.getElementById("ketahanan-config");
  if (!cfgNode) {
    return;
  }
  var cfg = JSON.parse(cfgNode.textContent);
  var S = cfg.strings || {};
  var P = (cfg.api && cfg.api.params) || {};
  var TOKEN_KEY = "ketahanan.planner-token";
  var MAX_PAGES = 40;
  var numberFormat = new Intl.NumberFormat(cfg.lang === "en" ? "en-GB" : "id-ID", {
    maximumFractionDigits: 3,
  });

  var RAMPS = {
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
    8: ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
    9: ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026",
        "#800026"],
  };
  var STATUS_COLOURS = {
    planned: "#1e88e5",
    in_progress: "#fb8c00",
    done: "#2e7d32",
    cancelled: "#757575",
  };
  var OVERLAY_STYLES = {
    flood_rw_2007: { color: "#1565c0", weight: 1, fillColor: "#64b5f6", fillOpacity: 0.45 },
    flood_2017_rw_max: { color: "#0d47a1", weight: 1, fillColor: "#1e88e5", fillOpacity: 0.55 },
    pumps: { color: "#004d40", fillColor: "#26a69a", radius: 6 },
    floodgates: { color: "#311b92", fillColor: "#7e57c2", radius: 6 },
    slum_rw: { color: "#6d4c41", weight: 1, fillColor: "#a1887f", fillOpacity: 0.55 },
    tj_stops: { color: "#b71c1c", fillColor: "#e53935", radius: 4 },
    tj_routes: { color: "#c62828", weight: 2, opacity: 0.7 },
    rail_stations: { color: "#212121", fillColor: "#fdd835", radius: 6 },
    rail_lines: { color: "#212121", weight: 3, opacity: 0.8, dashArray: "6 4" },
  };

  function t(key) {
    return Object.prototype.hasOwnProperty.call(S, key) ? S[key] : key;
  }

  /* Build an element; text is set with textContent only. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = String(value);
      } else if (name === "className") {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) {
        return;
      }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fmt(value) {
    if (value === null || value === undefined || value === "") {
      return t("legend.no_data");
    }
    if (typeof value === "number") {
      return numberFormat.format(value);
    }
    return String(value);
  }

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (key) {
      var value = params[key];
      if (value !== null && value !== undefined && value !== "") {
        parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value));
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function itemsUrl(collection, params) {
    return "/collections/" + encodeURIComponent(collection) + "/items" + query(params);
  }

  async function request(url, options) {
    var response = await fetch(url, options || {});
    var data = null;
    var text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (err) {
        data = { description: text };
      }
    }
    return { ok: response.ok, status: response.status, data: data, headers: response.headers };
  }

  /* Fetch a FeatureCollection and follow its rel=next links (bounded). */
  async function fetchAll(url) {
    var features = [];
    var first = null;
    var next = url;
    for (var page = 0; next && page < MAX_PAGES; page += 1) {
      var res = await request(next);
      if (!res.ok || !res.data) {
        throw new Error(t("error.load") + " (" + res.status + ")");
      }
      if (!first) {
        first = res.data;
      }
      features = features.concat(res.data.features || []);
      var link = (res.data.links || []).find(function (l) {
        return l.rel === "next";
      });
      next = link ? sameOrigin(link.href) : null;
    }
    return { features: features, first: first || {} };
  }

  function sameOrigin(href) {
    try {
      var u = new URL(href, window.location.href);
      return u.pathname + u.search;
    } catch (err) {
      return null;
    }
  }

  var toastTimer = null;
  function toast(message, isError) {
    var box = document.getElementById("ketahanan-toast");
    if (!box) {
      box = el("div", { id: "ketahanan-toast", role: "status", "aria-live": "polite" });
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.className = isError ? "visible error" : "visible";
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      box.className = "";
    }, 4000);
  }

  function getToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || "";
    } catch (err) {
      return "";
    }
  }

  function setToken(value) {
    try {
      if (value) {
        window.sessionStorage.setItem(TOKEN_KEY, value);
      } else {
        window.sessionStorage.removeItem(TOKEN_KEY);
      }
    } catch (err) {
      /* storage disabled: the token lives only in the form */
    }
  }

  /* ---------------------------------------------------------------- actions (shared) */

  function actionSummary(props) {
    var status = props.status || "planned";
    var rows = [
      [t("action.pillar"), t("pillar." + props.pillar)],
      [t("action.agency"), props.lead_agency],
      [t("action.status"), t("status." + status)],
      [t("action.progress"), props.progress === null || props.progress === undefined
        ? "" : String(props.progress) + "%"],
    ];
    if (props.partners && props.partners.length) {
      rows.push([t("action.partners"), props.partners.join(", ")]);
    }
    var dl = el("dl", { className: "action-props" });
    rows.forEach(function (row) {
      dl.appendChild(el("dt", { text: row[0] }));
      dl.appendChild(el("dd", { text: row[1] === undefined || row[1] === null ? "" : row[1] }));
    });
    return dl;
  }

  function actionStyle(feature) {
    var colour = STATUS_COLOURS[(feature.properties || {}).status] || STATUS_COLOURS.planned;
    return {
      color: colour,
      weight: 3,
      fillColor: colour,
      fillOpacity: 0.25,
      className: "ketahanan-action status-" + ((feature.properties || {}).status || "planned"),
    };
  }

  function actionPoint(feature, latlng) {
    return L.circleMarker(latlng, Object.assign({ radius: 8 }, actionStyle(feature)));
  }

  /* ---------------------------------------------------------------- map page */

  function initMap() {
    var map = window[cfg.map];
    if (!map) {
      return;
    }
    var groups = {
      choropleth: window[cfg.groups.choropleth],
      gaps: window[cfg.groups.gaps],
      actions: window[cfg.groups.actions],
      drawn: window[cfg.groups.drawn],
    };
    var state = {
      loadedZoom: null,
      choropleth: null,
      byCode: {},
      classification: null,
      loading: 0,
      overlayZoom: {},
      actionLayers: {},
    };
    var column = cfg.indicator.id;

    document.body.classList.add("ketahanan-map-page");
    map.attributionControl.setPrefix(false);

    /* --- panel: pillar, level, indicator, classification, language, search, gaps, token */
    function pageUrl(changes) {
      var params = {
        pilar: cfg.pillar,
        tingkat: cfg.level,
        indikator: cfg.indicator.score ? "" : cfg.indicator.id,
        klasifikasi: cfg.classification,
        k: cfg.k,
        lang: cfg.lang,
      };
      Object.keys(changes).forEach(function (key) {
        params[key] = changes[key];
      });
      if (params.k === 5) {
        params.k = "";
      }
      return "/peta" + query(params);
    }

    function select(name, label, options, current, onChange) {
      var sel = el("select", { name: name, id: "ketahanan-" + name });
      options.forEach(function (opt) {
        var o = el("option", { value: opt[0], text: opt[1] });
        if (String(opt[0]) === String(current)) {
          o.selected = true;
        }
        sel.appendChild(o);
      });
      sel.addEventListener("change", function () {
        onChange(sel.value);
      });
      return el("label", { className: "field" }, [el("span", { text: label }), sel]);
    }

    var Panel = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("div", { id: "ketahanan-panel", className: "ketahanan-panel" });
        var other = cfg.lang === "en" ? "id" : "en";
        box.appendChild(
          el("div", { className: "panel-head" }, [
            el("h1", { text: t("map.title") }),
            el("a", { href: pageUrl({ lang: other }), className: "lang-switch",
              hreflang: other, text: t("nav.language") }),
          ])
        );
        box.appendChild(select("pilar", t("pillar.label"),
          cfg.pillars.map(function (p) { return [p, t("pillar." + p)]; }), cfg.pillar,
          function (v) { window.location.href = pageUrl({ pilar: v, indikator: "" }); }));
        box.appendChild(select("tingkat", t("level.label"),
          cfg.levels.map(function (l) { return [l, t("level." + l)]; }), cfg.level,
          function (v) { window.location.href = pageUrl({ tingkat: v }); }));
        var indicatorOptions = [["", t("indicator.score")]].concat(
          cfg.indicators.map(function (i) { return [i.id, i.name]; }));
        box.appendChild(select("indikator", t("indicator.label"), indicatorOptions,
          cfg.indicator.score ? "" : cfg.indicator.id,
          function (v) { window.location.href = pageUrl({ indikator: v }); }));
        box.appendChild(select("klasifikasi", t("classification.label"),
          cfg.classifications.map(function (c) { return [c, t("classification." + c)]; }),
          cfg.classification,
          function (v) { window.location.href = pageUrl({ klasifikasi: v }); }));

        var search = el("input", { type: "search", id: "ketahanan-search",
          placeholder: t("search.placeholder"), "aria-label": t("search.placeholder"),
          autocomplete: "off" });
        var results = el("ul", { id: "ketahanan-search-results", className: "search-results" });
        search.addEventListener("input", function () { showResults(search.value, results); });
        search.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter") {
            var first = results.querySelector("button");
            if (first) { first.click(); }
          }
        });
        box.appendChild(el("div", { className: "search" }, [search, results]));

        var gapBox = el("input", { type: "checkbox", id: "ketahanan-gaps" });
        gapBox.addEventListener("change", function () {
          if (gapBox.checked) { map.addLayer(groups.gaps); } else { map.removeLayer(groups.gaps); }
        });
        box.appendChild(el("label", { className: "toggle" }, [gapBox, el("span", {
          text: t("gaps.toggle") })]));
        box.appendChild(el("p", { id: "ketahanan-gaps-info", className: "muted" }));
        box.appendChild(el("p", { className: "hint", text: t("action.draw_hint") }));
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      },
    });
    new Panel().addTo(map);

    function normalise(text) {
      return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
        .replace(/[^a-z0-9.]+/g, " ").trim();
    }

    function showResults(text, list) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var q = normalise(text);
      if (q.length < 2) { return; }
      var digits = q.replace(/\./g, "");
      var hits = cfg.kelurahan.filter(function (row) {
        return normalise(row[1]).indexOf(q) !== -1 ||
          row[0].replace(/\./g, "").indexOf(digits) === 0 && digits.length > 1;
      }).slice(0, 8);
      if (!hits.length) {
        list.appendChild(el("li", { className: "muted", text: t("search.none") }));
        return;
      }
      hits.forEach(function (row) {
        var button = el("button", { type: "button", "data-kode": row[0] }, [
          el("strong", { text: row[1] }), " ", el("small", { text: row[0] + " · " + row[2] }),
        ]);
        button.addEventListener("click", function () { goToKelurahan(row[0]); });
        var profile = el("a", { href: "/kelurahan/" + encodeURIComponent(row[0]) +
          query({ lang: cfg.lang }), className: "profile-link", text: "↗",
          title: t("profile.title") });
        list.appendChild(el("li", {}, [button, profile]));
      });
    }

    var highlight = null;
    async function goToKelurahan(kode) {
      if (highlight) { map.removeLayer(highlight); highlight = null; }
      var layer = cfg.level === "kelurahan" ? state.byCode[kode] : null;
      if (layer) {
        map.fitBounds(layer.getBounds(), { maxZoom: 15 });
        layer.openTooltip(layer.getBounds().getCenter());
        return;
      }
      var res = await request("/collections/kelurahan/items/" + encodeURIComponent(kode) +
        query({ zoom: 14, lang: cfg.lang }));
      if (res.ok && res.data) {
        highlight = L.geoJSON(res.data, { style: { color: "#00bcd4", weight: 4, fill: false,
          className: "ketahanan-highlight" } }).addTo(map);
        map.fitBounds(highlight.getBounds(), { maxZoom: 15 });
      }
    }

    /* --- legend */
    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var box = el("div", { id: "ketahanan-legend", className: "ketahanan-legend" });
        box.appendChild(el("p", { className: "muted", text: t("legend.loading") }));
        return box;
      },
    });
    new Legend().addTo(map);

    function rampFor(k) {
      var n = Math.max(2, Math.min(9, k));
      return RAMPS[n];
    }

    function classOf(value, breaks) {
      if (value === null || value === undefined || typeof value !== "number" || isNaN(value)) {
        return null;
      }
      for (var i = 0; i < breaks.length; i += 1) {
        if (value <= breaks[i]) { return i; }
      }
      return breaks.length - 1;
    }

    function renderLegend(classification, values) {
      var box = document.getElementById("ketahanan-legend");
      while (box.firstChild) { box.removeChild(box.firstChild); }
      var title = cfg.indicator.name + (cfg.indicator.unit ? " (" + cfg.indicator.unit + ")" : "");
      box.appendChild(el("h2", { text: title }));
      box.appendChild(el("p", { className: "muted", text: t("classification." +
        (classification ? classification.method : cfg.classification)) + " · " +
        t("level." + cfg.level) }));
      var list = el("ul", { className: "legend-classes" });
      if (classification && classification.breaks) {
        var breaks = classification.breaks;
        var colours = rampFor(breaks.length);
        var present = values.filter(function (v) { return typeof v === "number"; });
        var lowest = present.length ? Math.min.apply(null, present) : null;
        breaks.forEach(function (upper, i) {
          var lower = i === 0 ? lowest : breaks[i - 1];
          var label = (lower === null ? "" : fmt(lower) + " – ") + fmt(upper);
          var count = classification.counts ? classification.counts[i] : null;
          list.appendChild(el("li", { className: "legend-class", "data-class": i,
            "data-upper": String(upper) }, [
            el("span", { className: "swatch", style: "background:" + colours[i] }),
            el("span", { className: "legend-label", text: label }),
            count === null || count === undefined ? null :
              el("span", { className: "legend-count", text: "(" + count + ")" }),
          ]));
        });
      }
      var missing = values.filter(function (v) { return typeof v !== "number"; }).length;
      list.appendChild(el("li", { className: "legend-nodata" }, [
        el("span", { className: "swatch hatch" }),
        el("span", { className: "legend-label", text: t("legend.no_data") }),
        el("span", { className: "legend-count", text: "(" + missing + ")" }),
      ]));
      box.appendChild(list);
      if (cfg.indicator.score) {
        box.appendChild(el("p", { className: "muted", text: t("legend.score_note") }));
      }
    }

    function tooltipFor(props) {
      var value = props[column];
      return el("div", { className: "unit-tooltip" }, [
        el("strong", { text: props.nama || "" }),
        el("div", { text: t("tooltip.code") + ": " + (props.kode || "") }),
        el("div", { text: t("tooltip.value") + ": " + fmt(value) }),
        el("div", { text: t("tooltip.unit") + ": " + (cfg.indicator.unit || "–") }),
        cfg.level === "kelurahan" ? el("div", { className: "muted",
          text: t("tooltip.open_profile") }) : null,
      ]);
    }

    function zoomNow() {
      return Math.max(0, Math.min(18, Math.round(map.getZoom())));
    }

    async function loadChoropleth() {
      var z = zoomNow();
      var params = {};
      params[P.limit] = 1000;
      params[P.zoom] = z;
      params[P.properties] = ["kode", "nama", column].join(",");
      params[P.classify] = cfg.classification;
      params[P.classify_property] = column;
      params[P.k] = cfg.k;
      params[P.lang] = cfg.lang;
      state.loading += 1;
      document.body.setAttribute("data-choropleth", "loading");
      try {
        var result = await fetchAll(itemsUrl(cfg.level, params));
        var classification = result.first.classification || null;
        var breaks = classification ? classification.breaks : [];
        var colours = rampFor(breaks.length);
        var values = result.features.map(function (f) { return (f.properties || {})[column]; });
        var byCode = {};
        var layer = L.geoJSON({ type: "FeatureCollection", features: result.features }, {
          style: function (feature) {
            var cls = classOf(feature.properties[column], breaks);
            if (cls === null) {
              return { color: "#616161", weight: 0.6, fillColor: "#d6d6d6", fillOpacity: 0.9,
                className: "ketahanan-unit ketahanan-nodata" };
            }
            return { color: "#5d4037", weight: 0.6, fillColor: colours[cls], fillOpacity: 0.75,
              className: "ketahanan-unit class-" + cls };
          },
          onEachFeature: function (feature, lyr) {
            var props = feature.properties || {};
            byCode[props.kode] = lyr;
            lyr.bindTooltip(function () { return tooltipFor(props); }, { sticky: true });
            lyr.on("click", function () {
              if (cfg.level === "kelurahan") {
                window.location.href = "/kelurahan/" + encodeURIComponent(props.kode) +
                  query({ lang: cfg.lang });
              } else {
                map.fitBounds(lyr.getBounds());
              }
            });
            lyr.on("contextmenu", function (ev) {
              L.DomEvent.preventDefault(ev.originalEvent);
              if (cfg.level === "kelurahan") {
                openForm({ unitCode: props.kode, unitName: props.nama });
              }
            });
          },
        });
        if (state.choropleth) {
          groups.choropleth.removeLayer(state.choropleth);
        }
        state.choropleth = layer;
        state.byCode = byCode;
        state.loadedZoom = z;
        state.classification = classification;
        groups.choropleth.addLayer(layer);
        renderLegend(classification, values);
        if (map.hasLayer(groups.gaps)) {
          drawGaps();
        }
        document.body.setAttribute("data-choropleth", "ready");
        document.body.setAttribute("data-units", String(result.features.length));
      } catch (err) {
        document.body.setAttribute("data-choropleth", "error");
        toast(t("error.load") + ": " + err.message, true);
      } finally {
        state.loading -= 1;
      }
    }

    /* --- overlays, loaded when first shown, at the zoom's generalisation */
    function overlayLayer(id, features) {
      var style = OVERLAY_STYLES[id] || {};
      var names = (cfg.nameFields || {})[id] || [];
      function label(props) {
        var parts = names.map(function (n) { return props[n]; }).filter(function (v) {
          return v !== null && v !== undefined && v !== "";
        });
        return el("div", { className: "overlay-tooltip" }, [
          el("strong", { text: t("layer." + id) }),
          parts.length ? el("div", { text: parts.map(String).join(" · ") }) : null,
        ]);
      }
      var clusterName = (cfg.groups.clusters || {})[id];
      if (clusterName) {
        var icon = L.divIcon({ className: "stop-icon", iconSize: [10, 10] });
        return L.geoJSON({ type: "FeatureCollection", features: features }, {
          pointToLayer: function (feature, latlng) { return L.marker(latlng, { icon: icon }); },
          onEachFeature: function (feature, lyr) {
            lyr.bindTooltip(function () { return label(feature.properties || {}); });
          },
        });
      }
      return L.geoJSON({ type: "FeatureCollection", features: features }, {
        style: function () { return Object.assign({ className: "overlay-" + id }, style); },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, Object.assign({ weight: 1, fillOpacity: 0.9,
            className: "overlay-" + id }, style));
        },
        onEachFeature: function (feature, lyr) {
          lyr.bindTooltip(function () { return label(feature.properties || {}); });
        },
      });
    }

    var overlayContent = {};
    async function loadOverlay(id, force) {
      var group = window[cfg.groups.overlays[id]];
      var z = zoomNow();
      if (!force && overlayContent[id]) { return; }
      var params = {};
      params[P.limit] = 10000;
      params[P.lang] = cfg.lang;
      params[P.zoom] = z;
      if (names(id).length && id === "tj_stops") {
        params[P.properties] = names(id).join(",");
      }
      try {
        var result = await fetchAll(itemsUrl(id, params));
        var layer = overlayLayer(id, result.features);
        var clusterName = (cfg.groups.clusters || {})[id];
        var target = clusterName ? window[clusterName] : group;
        if (overlayContent[id]) { target.removeLayer(overlayContent[id]); }
        if (clusterName) {
          target.clearLayers();
          target.addLayers(layer.getLayers());
          overlayContent[id] = layer;
        } else {
          target.addLayer(layer);
          overlayContent[id] = layer;
        }
        state.overlayZoom[id] = z;
      } catch (err) {
        toast(t("error.load") + ": " + t("layer." + id), true);
      }
    }

    function names(id) {
      return (cfg.nameFields || {})[id] || [];
    }

    Object.keys(cfg.groups.overlays).forEach(function (id) {
      var group = window[cfg.groups.overlays[id]];
      group.on("add", function () { loadOverlay(id, false); });
      if (map.hasLayer(group)) { loadOverlay(id, false); }
    });

    var zoomTimer = null;
    map.on("zoomend", function () {
      clearTimeout(zoomTimer);
      zoomTimer = setTimeout(function () {
        var z = zoomNow();
        if (state.loadedZoom !== null && z !== state.loadedZoom) {
          loadChoropleth();
        }
        Object.keys(cfg.groups.overlays).forEach(function (id) {
          var group = window[cfg.groups.overlays[id]];
          if (overlayContent[id] && map.hasLayer(group) && state.overlayZoom[id] !== z &&
              !(cfg.groups.clusters || {})[id] && isShape(overlayContent[id])) {
            loadOverlay(id, true);
          }
        });
      }, 250);
    });

    function isShape(layer) {
      var shape = false;
      layer.eachLayer(function (l) {
        if (typeof l.getLatLng !== "function") { shape = true; }
      });
      return shape;
    }

    /* --- coverage gaps */
    async function drawGaps() {
      groups.gaps.clearLayers();
      var info = document.getElementById("ketahanan-gaps-info");
      var res = await request("/coverage-gaps" +
        query({ pilar: cfg.pillar }));
      if (!res.ok || !res.data) {
        info.textContent = t("error.load");
        return;
      }
      var codes = gapCodes(res.data);
      info.textContent = codes.length ? codes.length + " " + t("gaps.count") : t("gaps.none");
      var ring = [];
      codes.forEach(function (kode) {
        var lyr = state.byCode[kode];
        if (lyr) { ring.push(lyr.feature); }
      });
      if (res.data.type === "FeatureCollection" && !ring.length) {
        ring = res.data.features.filter(function (f) { return f.geometry; });
      }
      groups.gaps.addLayer(L.geoJSON({ type: "FeatureCollection", features: ring }, {
        style: { color: "#d81b60", weight: 3, fill: false, dashArray: "4 3",
          className: "ketahanan-gap" },
        interactive: false,
      }));
    }

    function gapCodes(data) {
      var rows = data.features || data.gaps || data.kelurahan || data.items || [];
      return rows.map(function (row) {
        if (typeof row === "string") { return row; }
        var props = row.properties || row;
        return props.kode || props.code || row.id;
      }).filter(Boolean);
    }

    groups.gaps.on("add", function () {
      document.getElementById("ketahanan-gaps").checked = true;
      drawGaps();
    });
    groups.gaps.on("remove", function () {
      document.getElementById("ketahanan-gaps").checked = false;
      document.getElementById("ketahanan-gaps-info").textContent = "";
    });

    /* --- actions layer */
    function actionPopup(feature) {
      var props = feature.properties || {};
      var box = el("div", { className: "action-popup", "data-action-id": String(feature.id) }, [
        el("h3", { className: "action-title", text: props.title || "" }),
        actionSummary(props),
      ]);
      var edit = el("button", { type: "button", className: "action-edit", text: t("action.edit") });
      var del = el("button", { type: "button", className: "action-delete",
        text: t("action.delete") });
      edit.addEventListener("click", function () { editAction(feature.id); });
      del.addEventListener("click", function () {
        if (del.getAttribute("data-armed") !== "1") {
          del.setAttribute("data-armed", "1");
          del.textContent = t("action.confirm_delete");
          return;
        }
        deleteAction(feature.id);
      });
      box.appendChild(el("div", { className: "buttons" }, [edit, del]));
      return box;
    }

    function addActionFeature(feature) {
      var old = state.actionLayers[feature.id];
      if (old) { groups.actions.removeLayer(old); }
      if (!feature.geometry) {
        return;
      }
      var layer = L.geoJSON(feature, { style: actionStyle, pointToLayer: actionPoint });
      layer.bindPopup(function () { return actionPopup(feature); });
      state.actionLayers[feature.id] = layer;
      groups.actions.addLayer(layer);
    }

    async function loadActions() {
      var params = {};
      params[P.limit] = 1000;
      try {
        var result = await fetchAll(itemsUrl("actions", params));
        result.features.forEach(addActionFeature);
        document.body.setAttribute("data-actions", String(result.features.length));
      } catch (err) {
        document.body.setAttribute("data-actions", "error");
      }
    }

    /* --- the action form */
    var FIELDS = [
      ["title", "text", "action.title", true],
      ["description", "textarea", "action.description", false],
      ["pillar", "pillar", "action.pillar", true],
      ["lead_agency", "text", "action.agency", true],
      ["partners", "text", "action.partners", false],
      ["status", "status", "action.status", true],
      ["progress", "number", "action.progress", false],
      ["budget_idr", "number", "action.budget", false],
      ["start_date", "date", "action.start_date", false],
      ["end_date", "date", "action.end_date", false],
    ];

    function fieldInput(spec, value) {
      var name = spec[0];
      var input;
      if (spec[1] === "textarea") {
        input = el("textarea", { name: name, rows: 3 });
        input.value = value || "";
      } else if (spec[1] === "pillar" || spec[1] === "status") {
        var opts = spec[1] === "pillar" ? cfg.pillars :
          ["planned", "in_progress", "done", "cancelled"];
        input = el("select", { name: name });
        opts.forEach(function (o) {
          var opt = el("option", { value: o, text: t((spec[1] === "pillar" ? "pillar." :
            "status.") + o) });
          if (o === value) { opt.selected = true; }
          input.appendChild(opt);
        });
      } else {
        input = el("input", { type: spec[1], name: name });
        if (spec[1] === "number") {
          input.setAttribute("min", "0");
          if (name === "progress") { input.setAttribute("max", "100"); }
        }
        input.value = value === null || value === undefined ? "" : String(value);
      }
      input.id = "action-field-" + name;
      return input;
    }

    var form = null;
    function closeForm(keepDrawn) {
      if (form) {
        if (!keepDrawn && form.drawnLayer) { groups.drawn.removeLayer(form.drawnLayer); }
        form.node.remove();
        form = null;
      }
    }

    /* opts: {layer (drawn), unitCode, unitName, feature (existing), etag} */
    function openForm(opts) {
      closeForm(false);
      var existing = opts.feature || null;
      var props = existing ? existing.properties || {} : { pillar: cfg.pillar, status: "planned",
        progress: 0 };
      var node = el("form", { id: "ketahanan-action-form", className: "ketahanan-form",
        novalidate: true });
      node.appendChild(el("h2", { text: existing ? t("action.edit") : t("action.new") }));
      if (opts.unitCode) {
        node.appendChild(el("p", { className: "muted", text: t("action.kelurahan") + ": " +
          (opts.unitName || "") + " (" + opts.unitCode + ")" }));
      }
      FIELDS.forEach(function (spec) {
        var value = props[spec[0]];
        if (spec[0] === "partners" && Array.isArray(value)) { value = value.join(", "); }
        var input = fieldInput(spec, value);
        node.appendChild(el("div", { className: "form-row", "data-field": spec[0] }, [
          el("label", { "for": input.id, text: t(spec[2]) + (spec[3] ? " *" : "") }),
          input,
          el("span", { className: "field-error", "data-error-for": spec[0], role: "alert" }),
        ]));
      });
      var tokenInput = el("input", { type: "password", name: "token", id: "action-field-token",
        autocomplete: "off" });
      tokenInput.value = getToken();
      node.appendChild(el("div", { className: "form-row token-row", "data-field": "token" }, [
        el("label", { "for": "action-field-token", text: t("token.label") }),
        tokenInput,
        el("small", { className: "muted", text: t("token.prompt") }),
        el("span", { className: "field-error", "data-error-for": "token", role: "alert" }),
      ]));
      node.appendChild(el("p", { className: "form-error", "data-error-for": "_form",
        role: "alert" }));
      var save = el("button", { type: "submit", className: "primary", text: t("action.save") });
      var cancel = el("button", { type: "button", text: t("action.cancel") });
      cancel.addEventListener("click", function () { closeForm(false); });
      node.appendChild(el("div", { className: "buttons" }, [save, cancel]));
      node.addEventListener("submit", function (ev) {
        ev.preventDefault();
        submitForm();
      });
      L.DomEvent.disableClickPropagation(node);
      L.DomEvent.disableScrollPropagation(node);
      document.body.appendChild(node);
      form = { node: node, drawnLayer: opts.layer || null, existing: existing,
        etag: opts.etag || null, unitCode: opts.unitCode || null };
      node.querySelector("[name=title]").focus();
    }

    function clearErrors() {
      form.node.querySelectorAll("[data-error-for]").forEach(function (n) { n.textContent = ""; });
      form.node.querySelectorAll(".invalid").forEach(function (n) {
        n.classList.remove("invalid");
      });
    }

    function showError(field, message) {
      var name = String(field || "").split(".").pop();
      var slot = form.node.querySelector('[data-error-for="' + CSS.escape(name) + '"]') ||
        form.node.querySelector('[data-error-for="_form"]');
      var text = slot.textContent ? slot.textContent + "; " + message : message;
      slot.textContent = slot.getAttribute("data-error-for") === "_form" && name &&
        name !== "_form" ? name + ": " + text : text;
      var row = form.node.querySelector('[data-field="' + CSS.escape(name) + '"]');
      if (row) { row.classList.add("invalid"); }
    }

    function readForm() {
      var props = {};
      FIELDS.forEach(function (spec) {
        var input = form.node.querySelector('[name="' + spec[0] + '"]');
        var raw = input.value.trim();
        if (spec[0] === "partners") {
          props.partners = raw ? raw.split(",").map(function (s) { return s.trim(); })
            .filter(Boolean) : [];
        } else if (spec[1] === "number") {
          props[spec[0]] = raw === "" ? null : Number(raw);
        } else if (spec[1] === "date") {
          props[spec[0]] = raw === "" ? null : raw;
        } else {
          props[spec[0]] = raw;
        }
      });
      if (props.progress === null) { props.progress = 0; }
      if (props.budget_idr === null) { delete props.budget_idr; }
      return props;
    }

    async function submitForm() {
      clearErrors();
      var token = form.node.querySelector("[name=token]").value.trim();
      if (!token) {
        showError("token", t("error.unauthorized"));
        return;
      }
      setToken(token);
      var props = readForm();
      var geometry = null;
      if (form.existing) {
        geometry = form.existing.geometry;
        props.unit_codes = (form.existing.properties || {}).unit_codes || [];
      } else if (form.drawnLayer) {
        geometry = form.drawnLayer.toGeoJSON().geometry;
      }
      if (form.unitCode) {
        props.unit_codes = [form.unitCode];
      }
      var body = { type: "Feature", geometry: geometry, properties: props };
      var headers = { "Content-Type": "application/geo+json", Accept: "application/geo+json",
        Authorization: "Bearer " + token };
      var url = "/collections/actions/items";
      var method = "POST";
      if (form.existing) {
        url += "/" + encodeURIComponent(form.existing.id);
        method = "PUT";
        if (form.etag) { headers["If-Match"] = form.etag; }
      }
      var res = await request(url, { method: method, headers: headers,
        body: JSON.stringify(body) });
      if (res.ok) {
        var feature = res.data && res.data.type === "Feature" ? res.data : null;
        var location = res.headers.get("Location");
        if (!feature && location) {
          var got = await request(sameOrigin(location));
          feature = got.ok ? got.data : null;
        }
        closeForm(false);
        if (feature) { addActionFeature(feature); }
        toast(t("action.saved"));
        return;
      }
      handleError(res);
    }

    function handleError(res) {
      var data = res.data || {};
      if (res.status === 422 || res.status === 400) {
        var details = Array.isArray(data.details) ? data.details : [];
        if (!details.length) { showError("_form", data.description || t("error.generic")); }
        details.forEach(function (d) { showError(d.field, d.message); });
      } else if (res.status === 401 || res.status === 403) {
        showError("token", t("error.unauthorized"));
      } else if (res.status === 412 || res.status === 428 || res.status === 409) {
        showError("_form", t("error.conflict"));
      } else {
        showError("_form", t("error.generic") + " (" + res.status + "): " +
          (data.description || ""));
      }
    }

    async function editAction(id) {
      map.closePopup();
      var res = await request("/collections/actions/items/" + encodeURIComponent(id));
      if (!res.ok || !res.data) {
        toast(t("error.load"), true);
        return;
      }
      openForm({ feature: res.data, etag: res.headers.get("ETag") });
    }

    async function deleteAction(id) {
      var token = getToken();
      if (!token) {
        map.closePopup();
        toast(t("error.unauthorized"), true);
        return;
      }
      var got = await request("/collections/actions/items/" + encodeURIComponent(id));
      var headers = { Authorization: "Bearer " + token };
      var etag = got.headers ? got.headers.get("ETag") : null;
      if (etag) { headers["If-Match"] = etag; }
      var res = await request("/collections/actions/items/" + encodeURIComponent(id),
        { method: "DELETE", headers: headers });
      map.closePopup();
      if (res.ok) {
        var layer = state.actionLayers[id];
        if (layer) { groups.actions.removeLayer(layer); delete state.actionLayers[id]; }
        toast(t("action.deleted"));
      } else if (res.status === 401 || res.status === 403) {
        toast(t("error.unauthorized"), true);
      } else if (res.status === 412 || res.status === 428) {
        toast(t("error.conflict"), true);
      } else {
        toast(t("error.generic") + " (" + res.status + ")", true);
      }
    }

    if (L.Draw && L.Draw.Event) {
      map.on(L.Draw.Event.CREATED, function (ev) {
        openForm({ layer: ev.layer });
      });
    }

    loadChoropleth();
    loadActions();
    window.ketahanan = { map: map, state: state, reloadChoropleth: loadChoropleth };
  }

  /* ---------------------------------------------------------------- profile page */

  function initProfile() {
    var node = document.getElementById("profile-map");
    var list = document.getElementById("profile-actions");
    var map = null;
    if (node && window.L) {
      map = L.map(node, { zoomControl: true, attributionControl: false, scrollWheelZoom: false })
        .setView([-6.2, 106.83], 12);
      request("/collections/kelurahan/items/" + encodeURIComponent(cfg.kode) +
        query({ zoom: 15 })).then(function (res) {
        if (res.ok && res.data) {
          var layer = L.geoJSON(res.data, { style: { color: "#bd0026", weight: 2,
            fillOpacity: 0.15, className: "ketahanan-unit" } }).addTo(map);
          map.fitBounds(layer.getBounds());
        }
      });
    }
    request(itemsUrl("actions", { kelurahan: cfg.kode, limit: 500 })).then(function (res) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      var features = res.ok && res.data ? res.data.features || [] : null;
      if (features === null) {
        list.appendChild(el("li", { className: "muted", text: t("error.load") }));
        return;
      }
      if (!features.length) {
        list.appendChild(el("li", { className: "muted", text: t("action.none") }));
      }
      features.forEach(function (f) {
        var props = f.properties || {};
        list.appendChild(el("li", { className: "profile-action" }, [
          el("strong", { className: "action-title", text: props.title || "" }),
          actionSummary(props),
        ]));
        if (map && f.geometry) {
          L.geoJSON(f, { style: actionStyle, pointToLayer: actionPoint })
            .bindTooltip(function () { return el("span", { text: props.title || "" }); })
            .addTo(map);
        }
      });
    });
  }

  if (cfg.page === "map") {
    initMap();
  } else if (cfg.page === "profile") {
    initProfile();
  }
})();
