import type { ReactNode } from "react";

// What a page shows before its feature exists or before there is data: what will be here and what to do.
export function EmptyState({
  title,
  status,
  children,
  upcoming,
  action,
}: {
  title: string;
  status?: string;
  children: ReactNode;
  upcoming?: string[];
  action?: ReactNode;
}) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      {status ? <span className="status">{status}</span> : null}
      <h2 id="empty-title">{title}</h2>
      <div>{children}</div>
      {upcoming && upcoming.length > 0 ? (
        <>
          <h3>What this page will show</h3>
          <ul>
            {upcoming.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </>
      ) : null}
      {action ? <div style={{ marginTop: "1rem" }}>{action}</div> : null}
    </section>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{title}</h1>
        {description ? <p>{description}</p> : null}
      </div>
      {actions ? <div>{actions}</div> : null}
    </div>
  );
}
