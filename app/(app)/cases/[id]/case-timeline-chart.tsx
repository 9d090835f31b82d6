"use client";

import { useState } from "react";
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { TimelineEntry } from "@/lib/cases/types";

type Point = { t: number; lane: number; label: string; detail: string; at: string };
type Span = "all" | "evidence" | "handling";

const LANES = ["Evidence (event time)", "Handling (case activity)"];
const SPANS: { key: Span; label: string }[] = [
  { key: "all", label: "Whole span" },
  { key: "evidence", label: "Zoom to evidence" },
  { key: "handling", label: "Zoom to handling" },
];

function tickFor(spanMs: number) {
  return (t: number) => {
    const iso = new Date(t).toISOString();
    if (spanMs < 2 * 86_400_000) return iso.slice(11, 16);
    return iso.slice(0, 10);
  };
}

function extent(points: Point[]): [number, number] | null {
  if (points.length === 0) return null;
  let lo = points[0].t;
  let hi = points[0].t;
  for (const p of points) {
    if (p.t < lo) lo = p.t;
    if (p.t > hi) hi = p.t;
  }
  // A single instant still gets a visible window.
  const pad = Math.max((hi - lo) * 0.03, 30_000);
  return [lo - pad, hi + pad];
}

// Two lanes on one time axis: when the evidence happened (event time) and when the case was worked (handling
// time). Different shapes and colours as well as lanes, so the two are told apart without colour alone. Evidence
// is often months older than its handling, so the axis can zoom to either lane's span.
export function CaseTimelineChart({ entries }: { entries: TimelineEntry[] }) {
  const [span, setSpan] = useState<Span>("all");
  const toPoint = (e: TimelineEntry): Point => ({
    t: Date.parse(e.at),
    lane: e.lane === "evidence" ? 1 : 0,
    label: e.label,
    detail: e.detail,
    at: e.at,
  });
  const evidence = entries.filter((e) => e.lane === "evidence").map(toPoint);
  const handling = entries.filter((e) => e.lane === "handling").map(toPoint);
  const domain = extent(span === "evidence" ? evidence : span === "handling" ? handling : [...evidence, ...handling]) ?? [0, 1];
  const inView = (p: Point) => p.t >= domain[0] && p.t <= domain[1];
  const tick = tickFor(domain[1] - domain[0]);
  return (
    <figure
      className="case-timeline-chart"
      aria-label={`Case timeline chart: ${evidence.length} evidence events and ${handling.length} case activities on one time axis; the same entries are listed below`}
    >
      <div className="checks" role="group" aria-label="Time span of the chart">
        {SPANS.map((s) => (
          <button
            key={s.key}
            type="button"
            className="btn btn-small btn-secondary"
            aria-pressed={span === s.key}
            disabled={(s.key === "evidence" && evidence.length === 0) || (s.key === "handling" && handling.length === 0)}
            onClick={() => setSpan(s.key)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <ResponsiveContainer width="100%" height={220}>
        <ScatterChart margin={{ top: 10, right: 24, bottom: 10, left: 10 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} allowDataOverflow tickFormatter={tick} name="Time (UTC)" />
          <YAxis
            dataKey="lane"
            type="number"
            domain={[-0.5, 1.5]}
            ticks={[0, 1]}
            tickFormatter={(v: number) => (v === 1 ? "Evidence" : "Handling")}
            width={80}
          />
          <Tooltip
            cursor={{ strokeDasharray: "3 3" }}
            content={({ payload }) => {
              const p = payload?.[0]?.payload as Point | undefined;
              if (!p) return null;
              return (
                <div className="case-timeline-tip">
                  <strong>{p.label}</strong>
                  <div>{p.detail}</div>
                  <div>{p.at.slice(0, 19).replace("T", " ")} UTC</div>
                </div>
              );
            }}
          />
          <Legend />
          <Scatter name={LANES[0]} data={evidence.filter(inView)} fill="#1f5fbf" shape="circle" isAnimationActive={false} />
          <Scatter name={LANES[1]} data={handling.filter(inView)} fill="#b45309" shape="diamond" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
}
