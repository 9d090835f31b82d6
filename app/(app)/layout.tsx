import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentUser, signInUrl } from "@/lib/auth/guard";
import { can, type Permission } from "@/lib/auth/permissions";
import { NavLinks, type NavItem } from "@/components/nav-links";
import { Icons } from "@/components/icons";
import { RoleBadge } from "@/components/role-badge";
import { SignOutButton } from "@/components/sign-out-button";

// `permission`: the item is shown only to roles that hold it (the page itself still checks).
const NAV: (NavItem & { permission?: Permission })[] = [
  { href: "/sessions", label: "Sessions", icon: Icons.sessions },
  { href: "/findings", label: "Findings", icon: Icons.findings },
  { href: "/identities", label: "Identities", icon: Icons.identities },
  { href: "/lineage", label: "Lineage", icon: Icons.lineage },
  { href: "/governance", label: "Governance", icon: Icons.governance },
  { href: "/coverage", label: "Coverage", icon: Icons.coverage },
  { href: "/compliance", label: "Compliance", icon: Icons.compliance },
  { href: "/cases", label: "Cases", icon: Icons.cases },
  { href: "/retention", label: "Retention", icon: Icons.retention },
  { href: "/audit", label: "Audit trail", icon: Icons.audit, permission: "audit.read" },
  { href: "/ingest", label: "Ingest", icon: Icons.ingest },
  { href: "/settings", label: "Settings", icon: Icons.settings },
];

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // Back to the page that was asked for after sign-in (the layout renders alongside the page and may redirect first).
  if (!user) redirect(await signInUrl());
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <Link href="/sessions" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sessionproof
        </Link>
        <NavLinks items={NAV.filter((i) => !i.permission || can(user.role, i.permission)).map(({ href, label, icon }) => ({ href, label, icon }))} />
        <div className="sidebar-foot">Evidence, not just access logs.</div>
      </nav>
      <div className="main">
        <header className="topbar">
          <span className="who">
            Signed in as <strong>{user.email}</strong>
          </span>
          <RoleBadge role={user.role} />
          <SignOutButton />
        </header>
        <main id="main" className="content">
          {children}
        </main>
      </div>
    </div>
  );
}
