"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type StatusBar = { label: string; with_evidence: number; with_findings: number; without_evidence: number };

// Colors chosen for contrast on white (WCAG AA for the legend text next to them).
const SERIES = [
  { key: "with_evidence", name: "With evidence", color: "#1b7f3b" },
  { key: "with_findings", name: "With open findings", color: "#b42318" },
  { key: "without_evidence", name: "Without evidence", color: "#6b7280" },
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
