"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type StatusSeries = { key: string; name: string };
export type CategoryBar = { label: string } & Record<string, number | string>;

// Colours per shown status: green for ok, reds for missing or invalid approval, ambers and browns for the JIT
// window, greys for thin evidence. The same figures are in the cards and the table, so the chart is a view, not the
// only source of the numbers.
const COLORS: Record<string, string> = {
  ok: "#1b7f3b",
  identity_unproven: "#4a1d6b",
  ticket_rejected: "#7a1a10",
  unapproved: "#b42318",
  grant_ticket_invalid: "#a23d7a",
  approval_unscoped: "#c0392b",
  approved_after_action: "#d35400",
  approval_not_yet_valid: "#e67e22",
  approval_expired: "#b35c00",
  self_approved: "#8e2b5c",
  approver_unknown: "#6b7685",
  ticket_overused: "#8a7a00",
  standing_privilege: "#5c2d0e",
  outside_window: "#9a6b00",
  over_broad_grant: "#4f5b6b",
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
