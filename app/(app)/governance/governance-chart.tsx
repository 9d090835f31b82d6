"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type StatusSeries = { key: string; name: string };
export type CategoryBar = { label: string } & Record<string, number | string>;

// Colours per status: green for ok, reds and ambers for the problems, grey for "no grant". The same figures
// are in the cards and the table, so the chart is a view, not the only source of the numbers.
const COLORS: Record<string, string> = {
  ok: "#1b7f3b",
  unapproved: "#b42318",
  outside_window: "#b35c00",
  no_grant: "#6b7685",
  unapproved_outside_window: "#7a1a10",
  unapproved_no_grant: "#a23d7a",
};

export function GovernanceChart({ data, series }: { data: CategoryBar[]; series: StatusSeries[] }) {
  return (
    <figure
      className="gov-chart"
      aria-label="Stacked bar chart: privileged actions per category, split by check status; the counts are in the cards above and the table below"
    >
      <ResponsiveContainer width="100%" height={Math.max(200, 44 * data.length + 70)}>
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "#4f5b6b", fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={170} tick={{ fill: "#1b2430", fontSize: 12 }} />
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="status" fill={COLORS[s.key] ?? "#1f5fbf"} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
