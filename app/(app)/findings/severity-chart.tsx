"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type SeverityBar = { label: string; open: number; dismissed: number };

// Open vs dismissed findings per severity; the same numbers are in the list below, so the chart is a view only.
export function SeverityChart({ data }: { data: SeverityBar[] }) {
  return (
    <figure
      className="findings-chart"
      aria-label="Bar chart: open and dismissed findings per severity; the counts are also listed beside it"
    >
      <ResponsiveContainer width="100%" height={Math.max(160, 40 * data.length + 70)}>
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "#4f5b6b", fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={90} tick={{ fill: "#1b2430", fontSize: 12 }} />
          <Tooltip />
          <Legend />
          <Bar dataKey="open" name="Open" stackId="s" fill="#b42318" isAnimationActive={false} />
          <Bar dataKey="dismissed" name="Dismissed" stackId="s" fill="#6b7685" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
