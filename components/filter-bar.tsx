import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/empty-state";

// The GET filter form of the server-rendered list pages and the two messages that go with it. A plain form keeps
// every filtered view a link and works without JavaScript; the page reads the same parameters back.

type Option = string | { value: string; label: string };

/** The form: labelled fields (children), the parameters to carry over unchanged (sort, dir, a scope), Apply and Clear. */
export function FilterBar({
  label,
  path,
  className,
  keep,
  filtered,
  children,
}: {
  /** Accessible name of the search region, e.g. "Filter findings". */
  label: string;
  path: string;
  className?: string;
  keep: Record<string, string | undefined>;
  filtered: boolean;
  children: ReactNode;
}) {
  return (
    <form className={className ? `filters ${className}` : "filters"} role="search" aria-label={label} method="get" action={path}>
      {children}
      {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <div className="field">
        <button type="submit" className="btn btn-secondary">
          Apply filters
        </button>{" "}
        {filtered ? <Link href={path}>Clear</Link> : null}
      </div>
    </form>
  );
}

/** A labelled select whose first option ("Any …") means no filter; `children` for options that need more than a list (groups). */
export function FilterSelect({
  id,
  label,
  name,
  value,
  any,
  options = [],
  children,
}: {
  id: string;
  label: string;
  name: string;
  value: string | undefined;
  any: string;
  options?: readonly Option[];
  children?: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{any}</option>
        {options.map((o) => {
          const { value: v, label: l } = typeof o === "string" ? { value: o, label: o } : o;
          return (
            <option key={v} value={v}>
              {l}
            </option>
          );
        })}
        {children}
      </select>
    </div>
  );
}

/** A labelled text, search, date or datetime input. */
export function FilterInput({
  id,
  label,
  name,
  value,
  type,
  placeholder,
}: {
  id: string;
  label: string;
  name: string;
  value: string | undefined;
  type?: "search" | "date" | "datetime-local";
  placeholder?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} defaultValue={value ?? ""} placeholder={placeholder} />
    </div>
  );
}

/** A hand-edited or stale link whose filters do not parse: say which and that the whole list is shown instead. */
export function InvalidFilters({
  issues,
  what,
}: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[] | undefined;
  what: string;
}) {
  if (!issues) return null;
  return (
    <div className="alert alert-error" role="alert">
      The link&apos;s filters are not valid ({issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`).join("; ")}); showing all{" "}
      {what} instead.
    </div>
  );
}

/** The empty state of a filtered list: nothing matched, so widen or clear the filters. */
export function NoMatch({ title, clearHref, widen = "Widen the filters" }: { title: string; clearHref: string; widen?: string }) {
  return (
    <EmptyState title={title}>
      <p>
        {widen} or <Link href={clearHref}>clear them</Link>.
      </p>
    </EmptyState>
  );
}
