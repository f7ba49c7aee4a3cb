/*
 * The replay's small chart: one bar per hourly snapshot, as tall as the RWs flooded then,
 * with the current hour marked. Plain SVG drawn here (no chart library); a click or a tap on
 * the chart picks the hour under it (the slider stays the keyboard's way). Calls no API.
 */
import { cfg, t } from "./page.js";

const NS = "http://www.w3.org/2000/svg";
const W = 292;
const H = 64;
const PAD = 14; // room for the axis numbers under the bars

function svg(tag, attrs = {}) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, String(value));
  }
  return node;
}

/* counts: RWs flooded per hour; onPick(i) on a click. Returns {node, mark(i)}. */
export function createFloodChart(counts, { onPick }) {
  const style = cfg.styles.flood_chart;
  const top = Math.max(1, ...counts);
  const step = W / counts.length;
  const node = svg("svg", { viewBox: `0 0 ${W} ${H + PAD}`, class: "replay-chart",
    role: "img", "aria-label": `${t("replay.chart")} (max ${top})` });
  const bars = counts.map((n, i) => {
    const h = Math.max(n > 0 ? 1 : 0, (n / top) * (H - 4));
    const bar = svg("rect", { x: (i * step).toFixed(2), y: (H - h).toFixed(2),
      width: Math.max(1, step - 0.6).toFixed(2), height: h.toFixed(2), fill: style.bar });
    node.append(bar);
    return bar;
  });
  node.append(svg("line", { x1: 0, y1: H, x2: W, y2: H, stroke: style.axis, "stroke-width": 1 }));
  const label = svg("text", { x: 2, y: 10, "font-size": 10, fill: style.axis });
  label.textContent = String(top);
  node.append(label);
  const marker = svg("line", { y1: 0, y2: H, stroke: style.current, "stroke-width": 2,
    class: "replay-chart-mark" });
  const markText = svg("text", { y: H + PAD - 2, "font-size": 10, fill: style.current,
    "text-anchor": "middle", class: "replay-chart-count" });
  node.append(marker, markText);
  node.addEventListener("click", (ev) => {
    const box = node.getBoundingClientRect();
    const i = Math.floor(((ev.clientX - box.left) / box.width) * counts.length);
    onPick(Math.min(counts.length - 1, Math.max(0, i)));
  });
  let current = null;
  return {
    node,
    /* Mark hour i (the bar takes the current colour, a line and its count above the axis). */
    mark(i) {
      if (current !== null) {
        bars[current].setAttribute("fill", style.bar);
      }
      bars[i].setAttribute("fill", style.current);
      const x = (i + 0.5) * step;
      marker.setAttribute("x1", x.toFixed(2));
      marker.setAttribute("x2", x.toFixed(2));
      markText.setAttribute("x", Math.min(W - 12, Math.max(12, x)).toFixed(2));
      markText.textContent = String(counts[i]);
      current = i;
    },
  };
}
