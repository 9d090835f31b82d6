import { requirePage } from "@/lib/auth/guard";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata = { title: "Compliance" };

export default async function CompliancePage() {
  await requirePage("/compliance");
  return (
    <>
      <PageHeader title="Compliance" description="Evidence mapped to NIST CSF 2.0, the OWASP Non-Human Identities Top 10 (2025) and the NIST AI RMF." />
      <EmptyState
        title="Compliance is not in this build yet"
        status="Coming next"
        upcoming={[
          "Per framework: controls with evidence, with findings, and without evidence.",
          "A drill-down from any control to the sessions, findings and coverage figures behind it, and a lookup for legacy CSF 1.1 ids.",
          "Downloadable evidence reports as CSV and printable HTML.",
        ]}
      >
        <p>Framework views are not in this build yet; they will be built from findings, governance checks and coverage figures computed from your data.</p>
      </EmptyState>
    </>
  );
}
