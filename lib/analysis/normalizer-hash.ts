import { SOURCES } from "@/lib/sources/registry";
import { catalogHash } from "./logic-version";

// The normalizers' part of the logic version: a hash over every registered source as this build runs it (its
// formats, its privileged-action catalog, and the text of its detect and normalize functions). A change to a source's
// catalog or to the function bodies changes it; a change only inside a helper those functions call shows through
// the app version, not here. Two builds of the same code can differ (a minifier rewrites function text), so compare
// it between packages of one installation.

let cached: string | null = null;

export function normalizerHash(): string {
  cached ??= catalogHash({
    sources: SOURCES.map((s) => ({
      platform: s.platform,
      label: s.label,
      formats: s.formats,
      privileged: s.privileged,
      detect: s.detect.toString(),
      normalize: s.normalize.toString(),
    })),
  });
  return cached;
}
