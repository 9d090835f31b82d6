"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type JoinBar = { label: string; session: number | null; identity: number | null; approval: number | null };

const SERIES = [
  { key: "session", name: "In a session by the platform's session id", color: "#1f5fbf" },
  { key: "identity", name: "Tied to an identity", color: "#1b7f3b" },
  { key: "approval", name: "Privileged with approval", color: "#8a5a00" },
] as const;

// Join-ability per platform as grouped bars (percent). The same figures are in the table next to it, so the
// chart is a view, not the only source of the numbers.
export function JoinChart({ data }: { data: JoinBar[] }) {
  const rows = data.map((d) => ({
    label: d.label,
    session: d.session === null ? null : Math.round(d.session * 100),
    identity: d.identity === null ? null : Math.round(d.identity * 100),
    approval: d.approval === null ? null : Math.round(d.approval * 100),
  }));
  return (
    <figure
      className="coverage-chart"
      aria-label="Bar chart: share of each platform's events tied to a session, to an identity, and privileged events tied to an approval; figures are in the table below"
    >
      <ResponsiveContainer width="100%" height={Math.max(220, 48 * rows.length + 60)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 16, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" tick={{ fill: "#4f5b6b", fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={170} tick={{ fill: "#1b2430", fontSize: 12 }} />
          <Tooltip formatter={(v) => (v === null || v === undefined ? "n/a" : `${v}%`)} />
          <Legend />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
