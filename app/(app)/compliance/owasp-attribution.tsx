import { getCatalog } from "@/lib/compliance/catalogs";

// CC BY-SA 4.0 requires the attribution wherever OWASP NHI Top 10 text is shown.
export function OwaspAttribution() {
  const text = getCatalog("owasp-nhi-2025").meta.attribution;
  return (
    <p className="cmp-attribution" data-testid="owasp-attribution">
      {text}
    </p>
  );
}
