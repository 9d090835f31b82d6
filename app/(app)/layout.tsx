import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentUser, signInUrl } from "@/lib/auth/guard";
import { navItemsFor } from "@/lib/auth/nav";
import { NavLinks } from "@/components/nav-links";
import { Icons } from "@/components/icons";
import { RoleBadge } from "@/components/role-badge";
import { SignOutButton } from "@/components/sign-out-button";

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
        <Link href="/sessions" className="brand" prefetch={false}>
          <span className="brand-mark" aria-hidden="true" />
          Sessionproof
        </Link>
        {/* Only the pages this role may open (the page guard's own check). */}
        <NavLinks items={navItemsFor(user.role).map((i) => ({ href: i.page, label: i.label, icon: Icons[i.icon] }))} />
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
