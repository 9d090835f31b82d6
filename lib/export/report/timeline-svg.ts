import { platformLabel } from "@/lib/sessions/words";
import { h } from "./html-text";

// The report's timeline figure, drawn on the server as inline SVG (no script, no font or image to fetch, prints as
// vectors): one lane per platform on one time axis; in each lane the case's sessions as bars from start to end and,
// under them, how many of the case's events fell in each time bucket (bar height relative to the lane's busiest
// bucket, whose count is written at the lane's end). The figure is summarised in its <title>/<desc> and the same
// counts are in the report's scope table, so nothing is said by the picture alone.

export type TimelineLane = {
  platform: string;
  events: number;
  /** Events per bucket, BUCKETS of them from `from` to `to`. */
  buckets: number[];
  /** The case's sessions on this platform (start and end, ISO). */
  spans: { start: string; end: string }[];
};

export type TimelineFigure = { from: string; to: string; lanes: TimelineLane[] };

export const BUCKETS = 96;
const SPANS_DRAWN = 400;
const WIDTH = 760;
const LABEL = 150;
const RIGHT = 60;
const LANE = 46;
const TOP = 8;
const AXIS = 34;
const COLOURS = ["#1f5fa8", "#9a4d00", "#2e7d32", "#7b1fa2", "#c62828", "#00838f", "#5d4037", "#455a64"];

const fmtTick = (t: number, span: number) => {
  const iso = new Date(t).toISOString();
  return span < 2 * 86_400_000 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
};
const r1 = (n: number) => Math.round(n * 10) / 10;

export function timelineSvg(fig: TimelineFigure): string {
  const lo = Date.parse(fig.from);
  const hi = Math.max(Date.parse(fig.to), lo + 1);
  const plot = WIDTH - LABEL - RIGHT;
  const x = (t: number) => LABEL + ((Math.min(Math.max(t, lo), hi) - lo) / (hi - lo)) * plot;
  const height = TOP + fig.lanes.length * LANE + AXIS;
  const parts: string[] = [];
  fig.lanes.forEach((lane, i) => {
    const y0 = TOP + i * LANE;
    const colour = COLOURS[i % COLOURS.length];
    parts.push(
      `<rect x="${LABEL}" y="${y0}" width="${plot}" height="${LANE - 6}" fill="${i % 2 ? "#ffffff" : "#f4f6f8"}" stroke="#d0d4d8" stroke-width="0.5"/>`,
      `<text x="${LABEL - 6}" y="${y0 + 16}" text-anchor="end" font-size="11" font-weight="600">${h(platformLabel(lane.platform))}</text>`,
      `<text x="${LABEL - 6}" y="${y0 + 30}" text-anchor="end" font-size="9" fill="#444">${lane.spans.length} session${lane.spans.length === 1 ? "" : "s"}, ${lane.events.toLocaleString("en")} events</text>`,
    );
    for (const s of lane.spans.slice(0, SPANS_DRAWN)) {
      const a = x(Date.parse(s.start));
      const w = Math.max(x(Date.parse(s.end)) - a, 1.5);
      parts.push(`<rect x="${r1(a)}" y="${y0 + 3}" width="${r1(w)}" height="7" fill="${colour}" fill-opacity="0.45"/>`);
    }
    const max = Math.max(1, ...lane.buckets);
    const bw = plot / lane.buckets.length;
    const base = y0 + LANE - 8;
    const room = LANE - 22;
    lane.buckets.forEach((n, b) => {
      if (n === 0) return;
      const bh = Math.max((n / max) * room, 1);
      parts.push(
        `<rect x="${r1(LABEL + b * bw)}" y="${r1(base - bh)}" width="${r1(Math.max(bw - 0.6, 0.6))}" height="${r1(bh)}" fill="${colour}"/>`,
      );
    });
    parts.push(`<text x="${LABEL + plot + 4}" y="${y0 + 26}" font-size="9" fill="#444">max ${max.toLocaleString("en")}</text>`);
  });
  const axisY = TOP + fig.lanes.length * LANE;
  parts.push(`<line x1="${LABEL}" y1="${axisY}" x2="${LABEL + plot}" y2="${axisY}" stroke="#333" stroke-width="0.8"/>`);
  for (let k = 0; k <= 4; k++) {
    const t = lo + ((hi - lo) * k) / 4;
    const tx = LABEL + (plot * k) / 4;
    parts.push(
      `<line x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 4}" stroke="#333" stroke-width="0.8"/>`,
      `<text x="${tx}" y="${axisY + 16}" text-anchor="${k === 0 ? "start" : k === 4 ? "end" : "middle"}" font-size="9">${h(fmtTick(t, hi - lo))}</text>`,
    );
  }
  parts.push(`<text x="${LABEL + plot / 2}" y="${axisY + 30}" text-anchor="middle" font-size="9" fill="#444">event time (UTC)</text>`);
  const summary = fig.lanes.map((l) => `${platformLabel(l.platform)}: ${l.spans.length} sessions, ${l.events} events`).join("; ");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="timeline-title timeline-desc" font-family="sans-serif">
<title id="timeline-title">Sessions and events over time per platform, ${h(fig.from)} to ${h(fig.to)}</title>
<desc id="timeline-desc">${h(summary)}. Bars at the top of each lane are sessions (start to end); columns below are event counts per time bucket (1/${BUCKETS} of the span).</desc>
${parts.join("\n")}
</svg>`;
}
