import Link from "next/link";

// Where evidence comes from: the "Add to case" buttons live on the pages of the things being cited.
export function AddToCaseNote() {
  return (
    <p className="muted" style={{ marginTop: "0.75rem" }}>
      To cite more evidence, open a <Link href="/sessions">session</Link>, an <Link href="/identities">identity</Link> or a{" "}
      <Link href="/lineage">lineage graph</Link> and use “Add to case” there.
    </p>
  );
}
