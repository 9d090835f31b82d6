import { markInvisible } from "@/lib/events/invisible";

// User input written into a Markdown document (the evidence package README) must stay text. A line break would end
// the line it is on and start a new block (a CR in a case title once added a section telling the reader to run a
// remote script); Markdown punctuation would make links, images, HTML or emphasis; and GitHub-flavoured renderers
// turn any text that looks like a URL or an email address into a link, whatever backslashes stand in it. So the
// text goes into a code span, the one inline construct whose content is shown exactly as written: nothing inside is
// a link, HTML or markup. Line breaks and other control characters become spaces (a code span cannot hold a line
// break without ending its block), and invisible characters are written out (⟨RLO⟩).

const BREAKS_AND_CONTROLS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `s` as a one-line Markdown code span that renders as exactly the (cleaned) text and adds no structure. */
export function markdownLiteral(s: string): string {
  const text = markInvisible(s.replace(BREAKS_AND_CONTROLS, " "));
  // The fence is longer than any run of backticks inside; the padding spaces are removed by the renderer.
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
}
