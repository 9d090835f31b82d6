"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type StatusBar = { label: string; sufficient: number; partial: number; gap: number; no_data: number; not_applicable: number };

// Colors chosen for contrast on white (WCAG AA for the legend text next to them).
const SERIES = [
  { key: "sufficient", name: "Sufficient evidence", color: "#1b7f3b" },
  { key: "partial", name: "Partial", color: "#b25e09" },
  { key: "gap", name: "Gap", color: "#b42318" },
  { key: "no_data", name: "No data", color: "#6b7280" },
  { key: "not_applicable", name: "Not applicable", color: "#a3acb9" },
] as const;

// Controls per status as stacked horizontal bars, one bar per framework. The same counts are printed next to the
// chart, so the chart is a view and not the only place the numbers are.
export function StatusChart({ data, label }: { data: StatusBar[]; label: string }) {
  return (
    <figure className="cmp-chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={Math.max(140, 44 * data.length + 70)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "#4f5b6b", fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={150} tick={{ fill: "#1b2430", fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="status" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
