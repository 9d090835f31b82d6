"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Bar, BarChart, Brush, ResponsiveContainer, XAxis } from "recharts";
import { AddToCase } from "@/components/add-to-case";
import { VisibleText } from "@/components/visible-text";
import { fmtBytes, fmtTime, plural } from "@/components/format";
import { RAW_PREVIEW_BYTES, type SessionEvent, type TimelineEvent } from "@/lib/sessions/types";
import { platformLabel } from "@/lib/sessions/words";
import { Time } from "@/components/time";
import { eventClient, matchesEventFilter } from "@/lib/sessions/event-filter";

// The session's timeline: one swimlane per platform, the session's own events (filled) and its linked sessions'
// events (hollow) on their platform's lane. Zoom with the buttons or the keyboard (+ / −), or drag the brush under
// the overview histogram; move between events with the arrow keys (← → in time order, ↑ ↓ to the nearest event of
// the lane above / below, Home / End), Enter opens the event's evidence in the side panel, Escape closes it.

type Mark = {
  key: string;
  own: boolean;
  id: string;
  sessionId: string | null;
  t: number;
  platform: string;
  eventName: string;
  status: string | null;
  privileged: boolean;
};

const BUCKETS = 48;

function tickLabel(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  if (span > 2 * 86_400_000) return iso.slice(5, 10);
  if (span > 3_600_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

export function SessionTimeline({
  platform,
  events,
  linkedEvents,
  linkedTruncated,
  links,
  canWriteCases = false,
}: {
  platform: string;
  events: SessionEvent[];
  linkedEvents: TimelineEvent[];
  linkedTruncated: boolean;
  links: { id: string; platform: string; label: string }[];
  /** Show "Add to case" for the open event (roles with cases.write). */
  canWriteCases?: boolean;
}) {
  const marks = useMemo<Mark[]>(() => {
    const own = events.map((e) => ({
      key: `e${e.id}`,
      own: true,
      id: e.id,
      sessionId: null,
      t: Date.parse(e.time),
      platform: e.platform,
      eventName: e.eventName,
      status: e.status,
      privileged: e.privileged,
    }));
    const other = linkedEvents.map((e) => ({
      key: `l${e.id}`,
      own: false,
      id: e.id,
      sessionId: e.sessionId,
      t: Date.parse(e.time),
      platform: e.platform,
      eventName: e.eventName,
      status: e.status,
      privileged: false,
    }));
    return [...own, ...other].sort((a, b) => a.t - b.t || (a.own === b.own ? a.key.localeCompare(b.key) : a.own ? -1 : 1));
  }, [events, linkedEvents]);

  const lanes = useMemo(() => {
    const order = [platform];
    for (const m of marks) if (!order.includes(m.platform)) order.push(m.platform);
    return order;
  }, [marks, platform]);

  const full = useMemo<[number, number]>(() => {
    if (!marks.length) return [0, 1];
    let a = marks[0].t;
    let b = marks[marks.length - 1].t;
    if (b - a < 60_000) {
      a -= 30_000;
      b += 30_000;
    }
    const pad = (b - a) * 0.02;
    return [a - pad, b + pad];
  }, [marks]);

  // The parent remounts this component (key) when the events change, so the initial view is all there is to reset.
  const [view, setView] = useState<[number, number]>(full);
  const [brushKey, setBrushKey] = useState(0);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => events.filter((e) => matchesEventFilter(e, filter)), [events, filter]);
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const pendingFocus = useRef<string | null>(null);

  const buckets = useMemo(() => {
    const w = (full[1] - full[0]) / BUCKETS;
    const rows = Array.from({ length: BUCKETS }, (_, i) => ({ label: tickLabel(full[0] + i * w, full[1] - full[0]), own: 0, linked: 0 }));
    for (const m of marks) {
      const i = Math.min(BUCKETS - 1, Math.max(0, Math.floor((m.t - full[0]) / w)));
      if (m.own) rows[i].own++;
      else rows[i].linked++;
    }
    return rows;
  }, [marks, full]);

  const setViewFromButtons = (v: [number, number]) => {
    const span = Math.max(v[1] - v[0], 1000);
    let a = v[0];
    let b = v[0] + span;
    if (a < full[0]) {
      b += full[0] - a;
      a = full[0];
    }
    if (b > full[1]) {
      a -= b - full[1];
      b = full[1];
    }
    setView([Math.max(a, full[0]), b]);
    setBrushKey((k) => k + 1);
  };

  const zoom = (factor: number) => {
    const centre = marks[active] && marks[active].t >= view[0] && marks[active].t <= view[1] ? marks[active].t : (view[0] + view[1]) / 2;
    const span = Math.min((view[1] - view[0]) * factor, full[1] - full[0]);
    setViewFromButtons([centre - span / 2, centre + span / 2]);
  };

  const inView = (m: Mark) => m.t >= view[0] && m.t <= view[1];
  const x = (t: number) => `${((t - view[0]) / (view[1] - view[0])) * 100}%`;

  const moveTo = useCallback(
    (i: number) => {
      if (!marks.length) return;
      const n = Math.max(0, Math.min(marks.length - 1, i));
      setActive(n);
      const m = marks[n];
      if (m.t < view[0] || m.t > view[1]) {
        const span = view[1] - view[0];
        let a = m.t - span / 2;
        a = Math.max(full[0], Math.min(a, full[1] - span));
        setView([a, a + span]);
        setBrushKey((k) => k + 1);
      }
      pendingFocus.current = m.key;
    },
    [marks, view, full],
  );

  useEffect(() => {
    const k = pendingFocus.current;
    if (k) {
      refs.current.get(k)?.focus();
      pendingFocus.current = null;
    }
  });

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const cur = marks[active];
    if (e.key === "ArrowRight") moveTo(active + 1);
    else if (e.key === "ArrowLeft") moveTo(active - 1);
    else if (e.key === "Home") moveTo(0);
    else if (e.key === "End") moveTo(marks.length - 1);
    else if ((e.key === "ArrowUp" || e.key === "ArrowDown") && cur) {
      const lane = lanes.indexOf(cur.platform) + (e.key === "ArrowUp" ? -1 : 1);
      if (lane < 0 || lane >= lanes.length) return;
      let best = -1;
      for (let i = 0; i < marks.length; i++) {
        if (marks[i].platform !== lanes[lane]) continue;
        if (best < 0 || Math.abs(marks[i].t - cur.t) < Math.abs(marks[best].t - cur.t)) best = i;
      }
      if (best >= 0) moveTo(best);
    } else if (e.key === "+" || e.key === "=") zoom(0.5);
    else if (e.key === "-" || e.key === "_") zoom(2);
    else if (e.key === "Escape") setOpen(null);
    else return;
    e.preventDefault();
  };

  const openMark = marks.find((m) => m.key === open) ?? null;
  const openEvent = openMark?.own ? (events.find((e) => e.id === openMark.id) ?? null) : null;
  const visibleActive = marks[active] && inView(marks[active]) ? marks[active].key : marks.find(inView)?.key;
  const span = view[1] - view[0];
  const ticks = Array.from({ length: 5 }, (_, i) => view[0] + (span * (i + 0.5)) / 5);
  const linkedByPlatform = (p: string) => links.filter((l) => l.platform === p);

  if (!marks.length) return <p className="muted">This slice of the session has no events.</p>;

  return (
    <div className="timeline">
      <div className="timeline-tools">
        <button type="button" className="btn btn-small btn-secondary" onClick={() => zoom(0.5)}>
          Zoom in
        </button>
        <button type="button" className="btn btn-small btn-secondary" onClick={() => zoom(2)}>
          Zoom out
        </button>
        <button type="button" className="btn btn-small btn-secondary" onClick={() => setViewFromButtons(full)}>
          Show all
        </button>
        <span className="muted" aria-live="polite">
          <Time iso={new Date(view[0]).toISOString()} /> → <Time iso={new Date(view[1]).toISOString()} /> · {marks.filter(inView).length} of{" "}
          {plural(marks.length, "event")} in view
        </span>
      </div>
      <div
        className="lanes"
        role="group"
        aria-label="Timeline: one lane per platform. Arrow keys move between events, + and − zoom, Enter opens an event."
        onKeyDown={onKey}
      >
        {lanes.map((p) => (
          <div className="lane" key={p} data-testid={`lane-${p}`}>
            <div className="lane-label">
              {platformLabel(p)}
              <small>
                {p === platform ? "this session" : ""}
                {p === platform && linkedByPlatform(p).length ? " + " : ""}
                {linkedByPlatform(p).length ? `${linkedByPlatform(p).length} linked` : ""}
              </small>
            </div>
            <div className="lane-track">
              {marks.map((m, i) =>
                m.platform === p && inView(m) ? (
                  <button
                    key={m.key}
                    ref={(el) => {
                      if (el) refs.current.set(m.key, el);
                      else refs.current.delete(m.key);
                    }}
                    type="button"
                    className={`mark${m.own ? "" : " linked"}${m.status === "failure" ? " failure" : ""}${m.privileged ? " privileged" : ""}`}
                    style={{ left: x(m.t) }}
                    tabIndex={m.key === visibleActive ? 0 : -1}
                    aria-pressed={open === m.key}
                    aria-label={`${m.eventName} at ${fmtTime(new Date(m.t).toISOString())}${m.own ? "" : " (linked session)"}${m.status === "failure" ? ", failed" : ""}`}
                    title={`${m.eventName} — ${fmtTime(new Date(m.t).toISOString())}`}
                    onFocus={() => setActive(i)}
                    onClick={() => {
                      setActive(i);
                      setOpen(m.key);
                    }}
                  />
                ) : null,
              )}
            </div>
          </div>
        ))}
      </div>
      <div className="axis" aria-hidden="true">
        <div />
        <div className="axis-track">
          {ticks.map((t) => (
            <span key={t} style={{ left: x(t) }}>
              {tickLabel(t, span)}
            </span>
          ))}
        </div>
      </div>
      <div className="legend">
        <span>
          <i /> this session&apos;s event
        </span>
        <span>
          <i className="linked" /> linked session&apos;s event
        </span>
        <span>
          <i className="failure" /> failed
        </span>
        <span>
          <i className="privileged" /> privileged (square)
        </span>
        {linkedTruncated ? <span>Linked sessions have more events than drawn here.</span> : null}
      </div>
      <figure style={{ margin: "0.75rem 0 0" }} aria-label="Overview: events over the whole session; drag the brush handles to zoom">
        <ResponsiveContainer width="100%" height={90}>
          <BarChart data={buckets} margin={{ top: 4, right: 12, bottom: 0, left: 12 }} barCategoryGap={1}>
            <XAxis dataKey="label" hide />
            <Bar dataKey="own" stackId="a" fill="#1f5fbf" isAnimationActive={false} />
            <Bar dataKey="linked" stackId="a" fill="#9aa7b8" isAnimationActive={false} />
            <Brush
              key={brushKey}
              dataKey="label"
              height={22}
              stroke="#1f5fbf"
              travellerWidth={8}
              ariaLabel="Time range brush"
              startIndex={Math.max(0, Math.min(BUCKETS - 1, Math.floor(((view[0] - full[0]) / (full[1] - full[0])) * BUCKETS)))}
              endIndex={Math.max(0, Math.min(BUCKETS - 1, Math.ceil(((view[1] - full[0]) / (full[1] - full[0])) * BUCKETS) - 1))}
              onChange={(r: { startIndex?: number; endIndex?: number }) => {
                if (r.startIndex === undefined || r.endIndex === undefined) return;
                const w = (full[1] - full[0]) / BUCKETS;
                setView([full[0] + r.startIndex * w, full[0] + (r.endIndex + 1) * w]);
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      </figure>

      <h3>Events</h3>
      <p className="event-filter">
        <label>
          Filter events{" "}
          <input
            type="search"
            value={filter}
            onChange={(ev) => setFilter(ev.target.value)}
            placeholder="action, actor, IP, client or target"
            data-testid="event-filter"
          />
        </label>{" "}
        <span className="muted" data-testid="event-filter-count" aria-live="polite">
          {filter.trim() ? `${shown.length.toLocaleString()} of ${plural(events.length, "event")} shown on this page` : ""}
        </span>
      </p>
      <div className="table-scroll" tabIndex={0} aria-label="Events (scrollable)">
        <table className="data">
          <caption className="visually-hidden">
            The session&apos;s events in time order: actor, source IP, client and target, with their source record and ledger proof status
          </caption>
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Action</th>
              <th scope="col">Status</th>
              <th scope="col">Actor</th>
              <th scope="col">Source IP</th>
              <th scope="col">Client</th>
              <th scope="col">Target</th>
              <th scope="col">Source record</th>
              <th scope="col">Ledger</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id} className={open === `e${e.id}` ? "selected" : undefined} data-testid="event-row">
                <td>
                  <Time iso={e.time} />
                </td>
                <td>
                  <button
                    type="button"
                    className="linklike"
                    onClick={() => {
                      const i = marks.findIndex((m) => m.key === `e${e.id}`);
                      if (i >= 0) setActive(i);
                      setOpen(`e${e.id}`);
                    }}
                  >
                    <VisibleText text={e.eventName} />
                  </button>
                  {e.privileged ? (
                    <span className="kind" style={{ marginLeft: "0.35rem" }}>
                      privileged
                    </span>
                  ) : null}
                </td>
                <td>{e.status ?? "—"}</td>
                <td className="clip-cell">{e.actorName ? <VisibleText text={e.actorName} /> : "—"}</td>
                <td>{e.srcIp ?? "—"}</td>
                <td className="clip-cell" title={e.userAgent ?? undefined}>
                  {eventClient(e) ? <VisibleText text={eventClient(e)!} /> : "—"}
                </td>
                <td className="clip-cell">{e.target ? <VisibleText text={e.target} /> : "—"}</td>
                <td>
                  <code>
                    {e.raw.fileName} #{e.raw.position}
                  </code>
                </td>
                <td>
                  {e.proof.status === "included"
                    ? `checkpoint ${e.proof.checkpointId}`
                    : e.proof.status === "pending"
                      ? "not yet checkpointed"
                      : e.proof.status}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {openMark ? (
        <EventDrawer
          mark={openMark}
          event={openEvent}
          link={links.find((l) => l.id === openMark.sessionId) ?? null}
          onClose={() => setOpen(null)}
          canWriteCases={canWriteCases}
        />
      ) : null}
    </div>
  );
}

function EventDrawer({
  mark,
  event,
  link,
  onClose,
  canWriteCases = false,
}: {
  mark: Mark;
  event: SessionEvent | null;
  link: { id: string; label: string } | null;
  onClose: () => void;
  canWriteCases?: boolean;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose, mark.key]);
  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-h" data-testid="event-drawer">
      <div className="drawer-head">
        <div>
          <h2 id="drawer-h">
            <VisibleText text={mark.eventName} />
          </h2>
          <div className="muted">
            {platformLabel(mark.platform)} · <Time iso={new Date(mark.t).toISOString()} />
            {mark.status ? ` · ${mark.status}` : ""}
          </div>
        </div>
        <button ref={closeRef} type="button" className="btn btn-small btn-secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="drawer-body">
        {event ? (
          <>
            <AddToCase itemType="event" refId={event.id} canWrite={canWriteCases} label="Add event to case" />
            <h3 style={{ marginTop: 0 }}>Ledger proof</h3>
            <div className={`proof proof-${event.proof.status}`} data-testid="proof-status">
              {event.proof.text}
            </div>
            <h3>
              Raw record, exactly as stored — <code>{event.raw.fileName}</code> #{event.raw.position}
            </h3>
            <p className="muted" style={{ marginTop: 0 }}>
              Ledger leaf {event.raw.leafIndex}, record {event.raw.id}, received <Time iso={event.raw.receivedAt} />.
              {event.raw.header ? " A CSV data row; its file's header row is shown first." : ""}
            </p>
            {event.raw.header ? (
              <pre className="record" aria-label="CSV header row of the file">
                {event.raw.header}
              </pre>
            ) : null}
            {event.raw.payload === null ? (
              <p className="proof proof-purged">The payload was purged by retention; its leaf hash stays in the ledger.</p>
            ) : (
              <>
                {event.raw.truncated ? (
                  <p className="alert" data-testid="raw-record-truncated">
                    This record is {fmtBytes(event.raw.payloadBytes ?? 0)}; the first {fmtBytes(RAW_PREVIEW_BYTES)} are shown.{" "}
                    <a href={`/api/v1/events/${encodeURIComponent(event.id)}/raw`} download>
                      Download the whole record
                    </a>{" "}
                    (byte for byte as stored).
                  </p>
                ) : null}
                <pre className="record" data-testid="raw-record" tabIndex={0} aria-label="Raw record">
                  <VisibleText text={event.raw.payload} />
                  {event.raw.truncated ? "\n…" : ""}
                </pre>
              </>
            )}
            <h3>Normalized event</h3>
            <pre className="record" data-testid="normalized-event" tabIndex={0} aria-label="Normalized event">
              <VisibleText text={JSON.stringify(event.normalized, null, 2)} />
            </pre>
          </>
        ) : (
          <p>
            This event belongs to a linked session{link ? ` (${link.label})` : ""}. Its raw record and proof are on that session&apos;s
            page: {mark.sessionId ? <Link href={`/sessions/${mark.sessionId}`}>open the linked session</Link> : null}.
          </p>
        )}
      </div>
    </aside>
  );
}
