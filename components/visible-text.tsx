import { splitInvisible } from "@/lib/events/invisible";

// Text whose invisible characters (zero-width, bidirectional controls, tags: lib/events/invisible.ts) are shown as
// marked badges, ⟨ZWSP⟩ with the code point on hover, instead of nothing: "ad⟨ZWSP⟩min" cannot pass for "admin",
// and an RLO cannot turn the rest of a name around. Use it wherever an identity's name or an event's value is shown.
export function VisibleText({ text }: { text: string | null | undefined }) {
  if (!text) return <>{text ?? ""}</>;
  const parts = splitInvisible(text);
  if (parts.length === 1 && "text" in parts[0]) return <>{text}</>;
  return (
    <>
      {parts.map((p, i) =>
        "text" in p ? (
          p.text
        ) : (
          <mark key={i} className="invisible-char" title={`Invisible character ${p.codePoint}`} data-testid="invisible-char">
            ⟨{p.invisible}⟩
          </mark>
        ),
      )}
    </>
  );
}
