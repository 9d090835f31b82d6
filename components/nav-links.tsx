"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";

export type NavItem = { href: string; label: string; icon: ReactNode };

// Every page behind the sidebar is dynamic (signed-in, per role), so a viewport prefetch buys only each route's
// tree and metadata, two requests per link, for all eleven links on every page view. The sidebar prefetches on
// intent instead (pointer over a link, or keyboard focus on it): the route someone is about to open is ready, the
// others cost nothing.
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  const router = useRouter();
  return (
    <ul className="nav">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(item.href + "/");
        const intent = active ? undefined : () => router.prefetch(item.href);
        return (
          <li key={item.href}>
            <Link href={item.href} prefetch={false} onMouseEnter={intent} onFocus={intent} aria-current={active ? "page" : undefined}>
              {item.icon}
              <span>{item.label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
