/*
 * The depth legend of the February 2017 flood replay: one swatch per PetaBencana flood state
 * (2 = 10-70 cm, 3 = 71-150 cm, 4 = over 150 cm, 1 = depth unknown), coloured from the page's
 * styles (cfg.styles.flood_states, from web/styles.py).
 */
import { cfg, el, t } from "./page.js";

const STATES = ["2", "3", "4", "1"];

export function floodLegend() {
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
