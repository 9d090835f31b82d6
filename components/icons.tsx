// Small inline icons (no icon font, nothing fetched). Decorative: the link text carries the meaning.
const base = { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 1.8, "aria-hidden": true } as const;

export const Icons = {
  retention: (
    <svg {...base}>
      <circle cx="12" cy="13" r="8" />
      <path d="M12 9v4l2.5 2.5M9 2.5h6" strokeLinecap="round" />
    </svg>
  ),
  audit: (
    <svg {...base}>
      <path d="M7 3h8l4 4v14H7V3Z" strokeLinejoin="round" />
      <path d="M10 11h6M10 15h6M10 7h3" strokeLinecap="round" />
    </svg>
  ),
  findings: (
    <svg {...base}>
      <path d="M12 3 2.5 20h19L12 3Z" strokeLinejoin="round" />
      <path d="M12 10v4.5M12 17.2v.1" strokeLinecap="round" />
    </svg>
  ),
  governance: (
    <svg {...base}>
      <rect x="5" y="10" width="14" height="10" rx="1.5" />
      <path d="M8 10V7a4 4 0 0 1 8 0v3" />
      <path d="m9.5 15 2 2 3.5-3.5" strokeLinecap="round" />
    </svg>
  ),
  sessions: (
    <svg {...base}>
      <path d="M4 6h16M4 12h10M4 18h13" strokeLinecap="round" />
    </svg>
  ),
  identities: (
    <svg {...base}>
      <circle cx="12" cy="8" r="3.5" />
      <path d="M5 20c1.2-3.6 4-5 7-5s5.8 1.4 7 5" strokeLinecap="round" />
    </svg>
  ),
  lineage: (
    <svg {...base}>
      <circle cx="6" cy="6" r="2.2" />
      <circle cx="18" cy="6" r="2.2" />
      <circle cx="12" cy="18" r="2.2" />
      <path d="M7.5 7.8 11 16M16.5 7.8 13 16" />
    </svg>
  ),
  coverage: (
    <svg {...base}>
      <rect x="4" y="4" width="6" height="6" />
      <rect x="14" y="4" width="6" height="6" />
      <rect x="4" y="14" width="6" height="6" />
      <rect x="14" y="14" width="6" height="6" strokeDasharray="2 2" />
    </svg>
  ),
  compliance: (
    <svg {...base}>
      <path d="M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z" />
      <path d="m9 12 2 2 4-4" strokeLinecap="round" />
    </svg>
  ),
  cases: (
    <svg {...base}>
      <rect x="3.5" y="7" width="17" height="12" rx="1.5" />
      <path d="M9 7V5h6v2" />
    </svg>
  ),
  ingest: (
    <svg {...base}>
      <path d="M12 4v11m0 0-4-4m4 4 4-4M5 19h14" strokeLinecap="round" />
    </svg>
  ),
  settings: (
    <svg {...base}>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 3v2.5M12 18.5V21M3 12h2.5M18.5 12H21M5.6 5.6l1.8 1.8M16.6 16.6l1.8 1.8M5.6 18.4l1.8-1.8M16.6 7.4l1.8-1.8" />
    </svg>
  ),
};
