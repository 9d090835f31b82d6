"use client";

import type { Core, ElementDefinition, EventObject, NodeSingular } from "cytoscape";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useLineageGraph, useLineageRoots } from "@/components/api/lineage";
import { AddToCase } from "@/components/add-to-case";
import { Time } from "@/components/time";
import { VisibleText } from "@/components/visible-text";
import { markInvisible } from "@/lib/events/invisible";
import { LINEAGE_MAX_DEPTH, LINEAGE_NODE_TYPES, type LineageGraph, type LineageNode, type LineageNodeType } from "@/lib/sessions/types";
import { EDGE_LABELS, kindLabel, platformLabel } from "@/lib/sessions/words";

// The lineage graph: cytoscape (canvas renderer) with the dagre layered layout, left to right, so a chain reads as
// grant → token → refresh → delegation → sessions (above DAGRE_MAX_NODES, a breadth-first layered layout instead). Canvas rather than SVG/DOM keeps 5,000 nodes responsive; at
// that size labels and edges are hidden while panning (textureOnViewport / hideEdgesOnViewport) and edge labels
// are off. The start is picked with the search box or arrives as ?credentialId= / ?identityId=; filters hide node
// types; "Focus on path" keeps only the selected node's ancestors and descendants; sessions click through.
// Below the canvas the same graph is listed as a table, for keyboard and screen-reader users.

const TYPE_STYLE: Record<
  LineageNodeType,
  { color: string; shape: "ellipse" | "round-rectangle" | "rectangle" | "diamond"; label: string }
> = {
  identity: { color: "#6b4fbb", shape: "ellipse", label: "Identities" },
  credential: { color: "#1f5fbf", shape: "round-rectangle", label: "Credentials" },
  session: { color: "#1b7f3b", shape: "rectangle", label: "Sessions" },
  action: { color: "#a4461d", shape: "diamond", label: "Actions" },
};
const EDGE_COLORS: Record<string, string> = {
  parent_of: "#1f5fbf",
  used_by: "#4f5b6b",
  linked_to: "#b45309",
  holds: "#6b4fbb",
  session_of: "#6b4fbb",
  performed: "#a4461d",
};
const TYPES: LineageNodeType[] = [...LINEAGE_NODE_TYPES];
const DEPTHS = [1, 2, 3, 4, 6, 8, 12, 24, LINEAGE_MAX_DEPTH];
const DAGRE_MAX_NODES = 600;

let dagreRegistered = false;

export function LineageExplorer({ canWriteCases = false }: { canWriteCases?: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const sp = useSearchParams();
  const credentialId = sp.get("credentialId") ?? "";
  const identityId = sp.get("identityId") ?? "";
  const depth = sp.get("depth") ?? "12";
  const limit = sp.get("limit") ?? "2000";
  const hasRoot = Boolean(credentialId || identityId);

  const [text, setText] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const roots = useLineageRoots(debounced);

  const setParams = (patch: Record<string, string>) => {
    const next = new URLSearchParams(sp.toString());
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const start = (type: "credential" | "identity", id: string) => {
    setText("");
    setParams(type === "credential" ? { credentialId: id, identityId: "" } : { identityId: id, credentialId: "" });
  };

  const graph = useLineageGraph({ credentialId, identityId, depth, limit });

  // The node-type filters live in the URL (?hide=session,action) so that a shared link and a case snapshot keep them.
  const hideParam = sp.get("hide") ?? "";
  const hidden = useMemo(
    () => new Set(hideParam.split(",").filter((t): t is LineageNodeType => (LINEAGE_NODE_TYPES as readonly string[]).includes(t))),
    [hideParam],
  );
  const toggleType = (t: LineageNodeType, show: boolean) => {
    const n = new Set(hidden);
    if (show) n.delete(t);
    else n.add(t);
    setParams({ hide: TYPES.filter((x) => n.has(x)).join(",") });
  };
  const [selected, setSelected] = useState<LineageNode | null>(null);
  const [focus, setFocus] = useState(false);
  const [layoutMs, setLayoutMs] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const data = graph.data;
  const byId = useMemo(() => new Map((data?.nodes ?? []).map((n) => [n.id, n])), [data]);

  // Build the graph once per data set.
  useEffect(() => {
    if (!data || !box.current) return;
    let cancelled = false;
    let cy: Core | null = null;
    (async () => {
      const [{ default: cytoscape }, { default: dagre }] = await Promise.all([import("cytoscape"), import("cytoscape-dagre")]);
      if (cancelled || !box.current) return;
      if (!dagreRegistered) {
        cytoscape.use(dagre);
        dagreRegistered = true;
      }
      const big = data.nodes.length > 800;
      const nodeMap = new Map(data.nodes.map((n) => [n.id, n]));
      const elements: ElementDefinition[] = [
        ...data.nodes.map((n) => ({
          group: "nodes" as const,
          // The graph is drawn on a canvas: invisible characters are written out (⟨ZWSP⟩) rather than marked up.
          data: { id: n.id, label: markInvisible(n.label), type: n.type, root: n.id === data.root.id ? 1 : 0 },
        })),
        ...data.edges.map((e) => ({
          group: "edges" as const,
          data: { id: e.id, source: e.source, target: e.target, type: e.type, label: EDGE_LABELS[e.type] ?? e.type },
        })),
      ];
      const t0 = performance.now();
      cy = cytoscape({
        container: box.current,
        elements,
        minZoom: 0.02,
        maxZoom: 3,
        wheelSensitivity: 0.3,
        pixelRatio: big ? 1 : "auto",
        textureOnViewport: big,
        hideEdgesOnViewport: big,
        motionBlur: false,
        style: [
          {
            selector: "node",
            style: {
              label: "data(label)",
              "font-size": 11,
              "min-zoomed-font-size": 7,
              "text-valign": "bottom",
              "text-margin-y": 4,
              "text-max-width": "160px",
              "text-wrap": "ellipsis",
              color: "#1b2430",
              width: 22,
              height: 22,
            },
          },
          ...TYPES.map((t) => ({
            selector: `node[type = "${t}"]`,
            style: { "background-color": TYPE_STYLE[t].color, shape: TYPE_STYLE[t].shape },
          })),
          { selector: "node[root = 1]", style: { "border-width": 4, "border-color": "#f2b705", width: 30, height: 30 } },
          { selector: "node:selected", style: { "border-width": 4, "border-color": "#111b2b" } },
          {
            selector: "edge",
            style: {
              width: 1.5,
              "curve-style": big ? "haystack" : "bezier",
              "target-arrow-shape": big ? "none" : "triangle",
              "line-color": "#9aa7b8",
              "target-arrow-color": "#9aa7b8",
              ...(big
                ? {}
                : {
                    label: "data(label)",
                    "font-size": 9,
                    "text-rotation": "autorotate",
                    color: "#4f5b6b",
                    "text-background-color": "#fcfcfd",
                    "text-background-opacity": 1,
                  }),
            },
          },
          ...Object.entries(EDGE_COLORS).map(([t, c]) => ({
            selector: `edge[type = "${t}"]`,
            style: { "line-color": c, "target-arrow-color": c },
          })),
          { selector: 'edge[type = "linked_to"]', style: { "line-style": "dashed" } },
          { selector: 'edge[type = "holds"], edge[type = "session_of"]', style: { "line-style": "dotted" } },
          { selector: ".faded", style: { opacity: 0.1 } },
          { selector: ".hidden", style: { display: "none" } },
        ],
      });
      // dagre's layered layout reads best but grows superlinearly (measured headless here: about 2.8 s for 900 nodes
      // of a branching chain, 30 s for 4,600); past DAGRE_MAX_NODES cytoscape's own breadth-first layered layout
      // from the root (about 1 s for 5,000 nodes) keeps the page responsive.
      const root = cy.getElementById(data.root.id);
      cy.layout(
        (data.nodes.length <= DAGRE_MAX_NODES
          ? { name: "dagre", rankDir: "LR", nodeSep: 18, rankSep: 90, edgeSep: 6, animate: false, fit: true, padding: 24 }
          : { name: "breadthfirst", directed: true, roots: root, spacingFactor: 1.1, animate: false, fit: true, padding: 24 }) as never,
      ).run();
      setLayoutMs(Math.round(performance.now() - t0));
      cy.on("tap", "node", (e: EventObject) => setSelected(nodeMap.get((e.target as NodeSingular).id()) ?? null));
      cy.on("tap", (e: EventObject) => {
        if (e.target === cy) setSelected(null);
      });
      cy.on("dbltap", 'node[type = "session"]', (e: EventObject) => router.push(`/sessions/${(e.target as NodeSingular).id()}`));
      cyRef.current = cy;
    })();
    return () => {
      cancelled = true;
      cy?.destroy();
      cyRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  // Filters and focus restyle the existing graph (no new layout).
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().removeClass("hidden faded");
      for (const t of hidden) cy.nodes(`[type = "${t}"]`).addClass("hidden");
      if (focus && selected) {
        const n = cy.getElementById(selected.id);
        const keep = n.union(n.predecessors()).union(n.successors());
        cy.elements().not(keep).addClass("faded");
      }
    });
  }, [hidden, focus, selected, layoutMs]);

  const counts = useMemo(() => {
    const c: Record<LineageNodeType, number> = { identity: 0, credential: 0, session: 0, action: 0 };
    for (const n of data?.nodes ?? []) c[n.type]++;
    return c;
  }, [data]);
  const rootNode = data ? byId.get(data.root.id) : undefined;

  return (
    <>
      <section className="panel" aria-labelledby="pick-h">
        <h2 id="pick-h" style={{ marginTop: 0 }}>
          Start from a credential or an identity
        </h2>
        <div className="form-row">
          <div className="field" style={{ flex: "3 1 320px" }}>
            <label htmlFor="l-search">Search</label>
            <input
              id="l-search"
              type="search"
              placeholder="A person, an app, a login, or a credential id such as an access key id"
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
            />
          </div>
          <div className="field" style={{ flex: "0 1 120px" }}>
            <label htmlFor="l-depth">Depth</label>
            <select id="l-depth" value={depth} onChange={(e) => setParams({ depth: e.target.value })}>
              {DEPTHS.map((d) => (
                <option key={d} value={d}>
                  {d === LINEAGE_MAX_DEPTH ? `${d} hops (all)` : `${d} hops`}
                </option>
              ))}
            </select>
          </div>
          <div className="field" style={{ flex: "0 1 140px" }}>
            <label htmlFor="l-limit">Node limit</label>
            <select id="l-limit" value={limit} onChange={(e) => setParams({ limit: e.target.value })}>
              {[200, 500, 2000, 5000].map((d) => (
                <option key={d} value={d}>
                  {d.toLocaleString()}
                </option>
              ))}
            </select>
          </div>
        </div>
        {debounced && roots.data ? (
          roots.data.length ? (
            <ul className="results" aria-label="Matching identities and credentials">
              {roots.data.map((r) => (
                <li key={`${r.type}:${r.id}`}>
                  <button type="button" onClick={() => start(r.type, r.id)}>
                    <strong>{r.label}</strong>{" "}
                    <span className="muted">
                      — {r.type}
                      {r.detail ? `, ${r.detail}` : ""}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nothing matches “{debounced}”.</p>
          )
        ) : null}
        {roots.error ? <div className="alert alert-error">{roots.error.message}</div> : null}
      </section>

      {!hasRoot ? (
        <p className="muted" style={{ marginTop: "1rem" }}>
          Pick a starting point above, or open a graph from a session&apos;s credential or an identity&apos;s page.
        </p>
      ) : (
        <section className="panel" aria-labelledby="graph-h" style={{ marginTop: "1rem" }}>
          <div className="page-head" style={{ marginBottom: "0.5rem" }}>
            <div>
              <h2 id="graph-h" style={{ margin: 0 }}>
                {rootNode ? `Lineage of ${rootNode.type === "identity" ? rootNode.label : rootNode.detail.externalId}` : "Lineage"}
              </h2>
              <p className="muted" role="status" aria-live="polite" data-testid="graph-summary">
                {graph.isPending
                  ? "Loading the graph…"
                  : data
                    ? `${data.nodes.length.toLocaleString()} nodes, ${data.edges.length.toLocaleString()} edges` +
                      (layoutMs !== null
                        ? ` · laid out in ${layoutMs.toLocaleString()} ms${data.nodes.length > DAGRE_MAX_NODES ? " (breadth-first: large graph)" : ""}`
                        : "")
                    : ""}
              </p>
              {data ? (
                <AddToCase
                  itemType="lineage_snapshot"
                  refId={data.root.id}
                  snapshot={{ root: data.root, depth: data.depth, limit: data.limit, hide: [...hidden] }}
                  label="Add graph to case"
                  canWrite={canWriteCases}
                />
              ) : null}
            </div>
            <div className="checks" role="group" aria-label="Show node types">
              {TYPES.map((t) => (
                <label key={t}>
                  <input type="checkbox" checked={!hidden.has(t)} onChange={(e) => toggleType(t, e.target.checked)} />
                  <span className="swatch" style={{ background: TYPE_STYLE[t].color }} aria-hidden="true" /> {TYPE_STYLE[t].label} (
                  {counts[t]})
                </label>
              ))}
            </div>
          </div>
          {graph.error ? <div className="alert alert-error">{graph.error.message}</div> : null}
          {data?.truncated ? (
            <div className="alert alert-info">
              The node limit ({data.limit.toLocaleString()}) was reached: the graph is cut there. Raise the limit or start from a narrower
              point.
            </div>
          ) : data && data.unexpanded > 0 ? (
            <p className="muted">
              {data.unexpanded.toLocaleString()} node{data.unexpanded === 1 ? "" : "s"} on the last hop{" "}
              {data.unexpanded === 1 ? "was" : "were"} not expanded: raise the depth to see further.
            </p>
          ) : null}
          <div className="lineage-layout">
            <div
              ref={box}
              className="graph"
              data-testid="lineage-graph"
              role="img"
              aria-label="Lineage graph; the same nodes and edges are listed below the graph"
            />
            <aside aria-labelledby="sel-h">
              <h3 id="sel-h" style={{ marginTop: 0 }}>
                {selected ? selected.label : "Select a node"}
              </h3>
              {selected ? (
                <NodeDetails
                  node={selected}
                  focus={focus}
                  onFocus={() => setFocus((f) => !f)}
                  onStart={() => (selected.type === "credential" || selected.type === "identity") && start(selected.type, selected.id)}
                />
              ) : (
                <p className="muted">
                  Click a node for its details; double-click a session to open it. Drag to pan, scroll to zoom. Edges: parent of (solid
                  blue), used by (grey), linked to (dashed), holds / session of (dotted), performed (orange: a session to the actions its
                  events did).
                </p>
              )}
            </aside>
          </div>
          {data ? <GraphTable graph={data} byId={byId} /> : null}
        </section>
      )}
    </>
  );
}

function NodeDetails({ node, focus, onFocus, onStart }: { node: LineageNode; focus: boolean; onFocus: () => void; onStart: () => void }) {
  return (
    <>
      <dl className="kv">
        <dt>Type</dt>
        <dd>{node.type}</dd>
        <dt>Kind</dt>
        <dd>
          {node.type === "session"
            ? node.kind === "native"
              ? "platform session key"
              : "heuristic"
            : node.type === "action"
              ? "action"
              : kindLabel(node.kind)}
        </dd>
        {node.platform ? (
          <>
            <dt>Platform</dt>
            <dd>{platformLabel(node.platform)}</dd>
          </>
        ) : null}
        {Object.entries(node.detail)
          .filter(([, v]) => v !== null && v !== "")
          .map(([k, v]) => (
            <div key={k} style={{ display: "contents" }}>
              <dt>{k}</dt>
              <dd style={{ overflowWrap: "anywhere" }}>{/At$/.test(k) ? <Time iso={String(v)} /> : String(v)}</dd>
            </div>
          ))}
      </dl>
      <div style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", marginTop: "0.75rem" }}>
        <button type="button" className="btn btn-small btn-secondary" onClick={onFocus} aria-pressed={focus}>
          {focus ? "Show everything" : "Focus on path"}
        </button>
        {node.type === "session" ? (
          <Link className="btn btn-small" href={`/sessions/${node.id}`}>
            Open session
          </Link>
        ) : node.type === "action" ? null : (
          <button type="button" className="btn btn-small btn-secondary" onClick={onStart}>
            Start graph here
          </button>
        )}
        {node.type === "identity" ? (
          <Link className="btn btn-small btn-secondary" href={`/identities/${node.id}`}>
            Open identity
          </Link>
        ) : null}
      </div>
    </>
  );
}

const TABLE_ROWS = 500;

function GraphTable({ graph, byId }: { graph: LineageGraph; byId: Map<string, LineageNode> }) {
  const name = (id: string) => {
    const n = byId.get(id);
    if (!n) return id;
    return n.type === "session" ? (
      <Link href={`/sessions/${n.id}`}>
        <VisibleText text={n.label} />
      </Link>
    ) : (
      <VisibleText text={n.label} />
    );
  };
  return (
    <details style={{ marginTop: "1rem" }}>
      <summary>Nodes and edges as a table</summary>
      <table className="data" style={{ marginTop: "0.5rem" }}>
        <caption className="visually-hidden">Every edge of the lineage graph with its rule</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">Edge</th>
            <th scope="col">To</th>
            <th scope="col">Rule</th>
            <th scope="col">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {graph.edges.slice(0, TABLE_ROWS).map((e) => (
            <tr key={e.id} data-testid="edge-row">
              <td>{name(e.source)}</td>
              <td>{EDGE_LABELS[e.type] ?? e.type}</td>
              <td>{name(e.target)}</td>
              <td>
                <code>{e.rule}</code>
              </td>
              <td>{Math.round(e.confidence * 100)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      {graph.edges.length > TABLE_ROWS ? (
        <p className="muted">
          The first {TABLE_ROWS} of {graph.edges.length.toLocaleString()} edges are listed.
        </p>
      ) : null}
    </details>
  );
}
