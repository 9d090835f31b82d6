import type { RequestContext } from "@/lib/context/request-context";
import { recordAudit } from "./record-audit";

export type ViewedResource = "session" | "identity" | "case" | "raw_record";

// Every view of a session, identity or case is an audit entry: who looked at which evidence, from where, is part
// of an investigation's own record. Called by detail pages (server components) and the detail API routes; the
// context carries the request's IP and user agent (lib/auth/guard.ts currentUser reads them from next/headers). A failure to record is logged and does not hide the page: the view itself changes nothing.
export async function recordView({ ctx, type, id }: { ctx: RequestContext; type: ViewedResource; id: string }): Promise<void> {
  try {
    await recordAudit({
      ctx,
      resourceType: type,
      resourceId: id,
      details: { type: `view.${type}`, id },
    });
  } catch (err) {
    console.error(`[audit] could not record the view of ${type} ${id}:`, err);
  }
}
