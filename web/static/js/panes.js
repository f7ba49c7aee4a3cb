/*
 * The map's own Leaflet panes, which keep the layers in order whatever loads first or again
 * after a zoom: the context lines and the choropleth under Leaflet's overlays (400), the
 * coverage gaps above them, and the actions above every thematic layer, markers (600)
 * included, below tooltips (650) and popups (700). Draws nothing; map-page.js makes them.
 */
export const CHOROPLETH_PANE = "ketahanan-choropleth";
export const CONTEXT_PANE = "ketahanan-context";
export const GAPS_PANE = "ketahanan-gaps";
export const ACTIONS_PANE = "ketahanan-actions";

/* [pane, z-index] of each. */
export const PANES = [[CHOROPLETH_PANE, 350], [CONTEXT_PANE, 360], [GAPS_PANE, 420],
  [ACTIONS_PANE, 640]];
