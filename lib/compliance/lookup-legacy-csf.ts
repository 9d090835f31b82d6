import { findControl, getCatalog, getLegacyCsfMap } from "./catalogs";
import type { LegacyCsfResult } from "./lookup-legacy-csf.types";

// CSF 1.1 ids (as cited in older policies and blog posts, e.g. "PR.AC-1") -> their CSF 2.0 destinations, from the
// official OSCAL withdrawn-control links. The file is an excerpt, so an id outside it is reported as such, not as
// "no mapping".

export { legacyCsfQuery, type LegacyCsfResult } from "./lookup-legacy-csf.types";

const REL_LABEL: Record<string, string> = {
  moved_to: "moved to",
  incorporated_into: "incorporated into",
  withdrawn_no_link: "withdrawn with no successor",
};

export function normalizeCsfId(raw: string): string {
  const m = /^([A-Za-z]{2})\.([A-Za-z]{2})(?:-(\d{1,2}))?$/.exec(raw.trim());
  if (!m) return raw.trim().toUpperCase();
  const base = `${m[1]}.${m[2]}`.toUpperCase();
  return m[3] === undefined ? base : `${base}-${m[3].padStart(2, "0")}`;
}

function targetText(id: string): string | null {
  const ctl = findControl("nist-csf-2.0", id);
  if (ctl) return ctl.text;
  const cat = getCatalog("nist-csf-2.0")
    .groups.flatMap((g) => g.categories)
    .find((c) => c.id === id);
  return cat ? `${cat.title}: ${cat.description}` : null;
}

export async function lookupLegacyCsf({ id: query }: { id: string }): Promise<LegacyCsfResult> {
  const id = normalizeCsfId(query);
  const links = getLegacyCsfMap().links[id];
  if (!links) {
    const stillValid = targetText(id) !== null;
    return {
      query,
      id,
      found: false,
      links: [],
      message: stillValid
        ? `${id} is not in the official mapping excerpt of withdrawn CSF 1.1 ids; ${id} exists in CSF 2.0 (check that its meaning did not change).`
        : `${id} is not in the official mapping excerpt (it covers PR.AC, DE, RS.AN/CO/IM and ID.SC); see NIST's full CSF 1.1 to 2.0 crosswalk.`,
    };
  }
  const out = links.map((l) => ({
    rel: l.rel,
    label: REL_LABEL[l.rel] ?? l.rel.replace(/_/g, " "),
    targets: l.targets.map((t) => ({ id: t, text: targetText(t) })),
  }));
  const all = out.flatMap((l) => l.targets.map((t) => t.id));
  return {
    query,
    id,
    found: true,
    links: out,
    message:
      all.length === 0
        ? `CSF 1.1 ${id} was withdrawn in CSF 2.0 with no successor.`
        : `CSF 1.1 ${id} is ${out.map((l) => `${l.label} ${l.targets.map((t) => t.id).join(", ")}`).join("; ")} in CSF 2.0.`,
  };
}
