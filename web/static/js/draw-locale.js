/* Leaflet.draw in the page's language.
 *
 * Leaflet.draw reads its labels from L.drawLocal when a draw control is created, which folium
 * does in the page's inline map script. This file is loaded right after leaflet.draw.js and
 * fills L.drawLocal from the translation catalogue the page carries as JSON
 * (#ketahanan-config, placed before the map script), just before the control is built.
 */
(function () {
  "use strict";
  if (typeof L === "undefined" || !L.Control || !L.Control.Draw || !L.drawLocal) {
    return;
  }
  function strings() {
    var el = document.getElementById("ketahanan-config");
    if (!el) {
      return null;
    }
    try {
      return JSON.parse(el.textContent).strings || null;
    } catch (e) {
      return null;
    }
  }
  function apply(s) {
    var d = L.drawLocal.draw;
    d.toolbar.buttons.polyline = s["draw.polyline"];
    d.toolbar.buttons.polygon = s["draw.polygon"];
    d.toolbar.buttons.marker = s["draw.marker"];
    d.toolbar.actions.title = s["draw.cancel_title"];
    d.toolbar.actions.text = s["draw.cancel"];
    d.toolbar.finish.title = s["draw.finish_title"];
    d.toolbar.finish.text = s["draw.finish"];
    d.toolbar.undo.title = s["draw.undo_title"];
    d.toolbar.undo.text = s["draw.undo"];
    d.handlers.marker.tooltip.start = s["draw.marker_start"];
    d.handlers.polygon.tooltip.start = s["draw.shape_start"];
    d.handlers.polygon.tooltip.cont = s["draw.polygon_cont"];
    d.handlers.polygon.tooltip.end = s["draw.polygon_end"];
    d.handlers.polyline.tooltip.start = s["draw.shape_start"];
    d.handlers.polyline.tooltip.cont = s["draw.polyline_cont"];
    d.handlers.polyline.tooltip.end = s["draw.polyline_end"];
    d.handlers.polyline.error = s["draw.crossing_error"];
  }
  var initialize = L.Control.Draw.prototype.initialize;
  L.Control.Draw.prototype.initialize = function (options) {
    var s = strings();
    if (s && s["draw.polygon"]) {
      apply(s);
    }
    return initialize.call(this, options);
  };
})();
