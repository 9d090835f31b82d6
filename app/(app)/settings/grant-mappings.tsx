"use client";

import { useState, type FormEvent } from "react";
import { ingestKeys, uploadFile, type UploadResult } from "@/components/api/ingest";
import {
  grantMappingsKeys,
  previewGrantMapping,
  saveGrantMapping,
  useGrantMappings,
  type GrantMappingBody,
} from "@/components/api/grant-mappings";
import { useApiMutation } from "@/components/api/mutation";
import type { GrantPreview } from "@/lib/ingest/grant-mappings.types";
import {
  GRANT_STATUS_MEANINGS,
  TIME_FORMATS,
  type GrantMappingDefinition,
  type GrantMappingField,
} from "@/lib/sources/pam-grants/grant-mapping.types";
import { Time } from "@/components/time";

// Grant mappings: how the grant export of a PAM / JIT tool without a reader is read. Declared field by field, tried on
// the first records of an export (the preview says per record what it becomes, or exactly why it cannot be read),
// saved, then used for uploads here or with `npm run cli -- ingest --grant-mapping <name> <file>`.

const PARTS: { part: GrantMappingField; label: string; required?: true; hint: string }[] = [
  { part: "principal", label: "Principal", required: true, hint: "who was granted (login, email)" },
  { part: "role", label: "Role", required: true, hint: "what was granted" },
  { part: "start", label: "Start", required: true, hint: "when it took effect" },
  { part: "end", label: "End", hint: "when it ends" },
  { part: "platform", label: "Platform", hint: "where it applies" },
  { part: "approver", label: "Approver", hint: "who approved" },
  { part: "ticket", label: "Ticket", hint: "change or request ticket" },
  { part: "id", label: "Grant id", hint: "the tool's id of the grant" },
  { part: "status", label: "Status", hint: "the grant's state" },
  { part: "revoked", label: "Revoked at", hint: "when it was ended early" },
];

const TIME_FORMAT_LABELS: Record<(typeof TIME_FORMATS)[number], string> = {
  auto: "Automatic (ISO 8601, epoch, or M/D/YYYY h:mm AM)",
  iso: "ISO 8601 only",
  us: "M/D/YYYY h:mm:ss AM (UTC)",
  epoch_seconds: "Epoch seconds",
  epoch_millis: "Epoch milliseconds",
};

const SAMPLE_BYTES = 256 * 1024;

const STAGE_WORDS: Record<string, string> = {
  completed: "grant",
  removed: "grant, revoked",
  requested: "request (not granted)",
  other: "refused (not granted)",
};

type Draft = {
  name: string;
  description: string;
  platform: string;
  timeFormat: (typeof TIME_FORMATS)[number];
  fields: Partial<Record<GrantMappingField, string>>;
  /** "value = meaning" lines. */
  statusValues: string;
};

const EMPTY: Draft = { name: "", description: "", platform: "", timeFormat: "auto", fields: {}, statusValues: "" };

function toBody(d: Draft): GrantMappingBody {
  const statusValues: Record<string, string> = {};
  for (const line of d.statusValues.split("\n")) {
    const [value, meaning] = line.split("=").map((x) => x.trim());
    if (value && meaning) statusValues[value] = meaning;
  }
  return {
    name: d.name,
    description: d.description,
    platform: d.platform,
    timeFormat: d.timeFormat,
    fields: Object.fromEntries(Object.entries(d.fields).filter(([, v]) => v)) as GrantMappingBody["fields"],
    ...(Object.keys(statusValues).length ? { statusValues: statusValues as GrantMappingBody["statusValues"] } : {}),
  };
}

function fromBody(b: GrantMappingDefinition): Draft {
  return {
    name: b.name,
    description: b.description ?? "",
    platform: b.platform ?? "",
    timeFormat: b.timeFormat ?? "auto",
    fields: { ...b.fields },
    statusValues: Object.entries(b.statusValues ?? {})
      .map(([k, v]) => `${k} = ${v}`)
      .join("\n"),
  };
}

export function GrantMappings() {
  const mappings = useGrantMappings();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [sample, setSample] = useState("");
  const [sampleName, setSampleName] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<GrantPreview | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<UploadResult | null>(null);
  const previewing = useApiMutation({ mutationFn: previewGrantMapping, onSuccess: setPreview });
  const save = useApiMutation({ mutationFn: saveGrantMapping, invalidates: [grantMappingsKeys.all], onSuccess: (m) => setSaved(m.name) });
  const upload = useApiMutation({
    mutationFn: ({ file, mapping }: { file: File; mapping: string }) => uploadFile(file, "", () => undefined, mapping),
    invalidates: [ingestKeys.all],
    onSuccess: setUploaded,
  });
  const error = save.errorSummary ?? previewing.errorSummary;

  const setField = (part: GrantMappingField, value: string) => setDraft((d) => ({ ...d, fields: { ...d.fields, [part]: value } }));

  async function pickSample(file: File | undefined) {
    if (!file) return;
    // The first records are enough: the file's head, cut at its last complete line.
    const head = await file.slice(0, SAMPLE_BYTES).text();
    setSample(file.size > SAMPLE_BYTES ? head.slice(0, head.lastIndexOf("\n") + 1) : head);
    setSampleName(file.name);
  }

  function submitPreview(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    previewing.mutate({ mapping: toBody(draft), sample, fileName: sampleName });
  }

  const seen = preview?.fieldsSeen ?? [];
  return (
    <section className="panel" aria-labelledby="grant-mappings-h" style={{ marginTop: "1rem" }} data-testid="grant-mappings">
      <h2 id="grant-mappings-h" style={{ marginTop: 0 }}>
        Grant mappings
      </h2>
      <p className="muted">
        For a PAM / JIT tool whose grant export Sessionproof has no reader for: name the export&apos;s field for each part of a grant, try
        it on the first records, save it. Records the mapping cannot read are quarantined with the reason; the rest are read as grants. On
        the command line: <code>npm run cli -- ingest --grant-mapping &lt;name or file&gt; &lt;export&gt;</code>.
      </p>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      {saved ? (
        <div className="alert alert-ok" role="status">
          Saved the mapping “{saved}”.
        </div>
      ) : null}
      <form onSubmit={submitPreview}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="gm-name">Name</label>
            <input
              id="gm-name"
              required
              value={draft.name}
              placeholder="e.g. teleport-access-requests"
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="gm-description">Description (optional)</label>
            <input id="gm-description" value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
          </div>
        </div>
        <datalist id="gm-seen">
          {seen.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <div className="form-row" style={{ flexWrap: "wrap" }}>
          {PARTS.map((p) => (
            <div className="field" key={p.part}>
              <label htmlFor={`gm-field-${p.part}`}>
                {p.label}
                {p.required ? null : <span className="muted"> (optional)</span>}
              </label>
              <input
                id={`gm-field-${p.part}`}
                list="gm-seen"
                required={p.required}
                placeholder={p.hint}
                value={draft.fields[p.part] ?? ""}
                onChange={(e) => setField(p.part, e.target.value)}
              />
            </div>
          ))}
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="gm-platform">Platform of every grant (optional)</label>
            <input
              id="gm-platform"
              value={draft.platform}
              placeholder="when the export has no platform field, e.g. aws:111122223333"
              onChange={(e) => setDraft({ ...draft, platform: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="gm-time">Time format</label>
            <select
              id="gm-time"
              value={draft.timeFormat}
              onChange={(e) => setDraft({ ...draft, timeFormat: e.target.value as Draft["timeFormat"] })}
            >
              {TIME_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {TIME_FORMAT_LABELS[f]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="gm-status">Status values (one “value = meaning” a line)</label>
            <textarea
              id="gm-status"
              rows={3}
              value={draft.statusValues}
              placeholder={`Approved = granted\nPending Review = requested\n(meanings: ${GRANT_STATUS_MEANINGS.join(", ")})`}
              onChange={(e) => setDraft({ ...draft, statusValues: e.target.value })}
            />
          </div>
        </div>
        <div className="form-row">
          <div className="field" style={{ flex: 2 }}>
            <label htmlFor="gm-sample">First lines of the export (CSV with its header row, or JSON)</label>
            <textarea id="gm-sample" rows={6} value={sample} onChange={(e) => setSample(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="gm-sample-file">…or take them from a file</label>
            <input id="gm-sample-file" type="file" onChange={(e) => void pickSample(e.target.files?.[0])} />
          </div>
        </div>
        <div className="form-row">
          <div className="form-submit">
            <button className="btn" type="submit" disabled={previewing.isPending || !sample}>
              Preview the first 5 records
            </button>{" "}
            <button
              className="btn"
              type="button"
              disabled={save.isPending || !draft.name}
              onClick={() => {
                setSaved(null);
                save.mutate(toBody(draft));
              }}
            >
              Save mapping
            </button>
          </div>
        </div>
      </form>
      {preview ? <PreviewTable preview={preview} /> : null}
      {mappings.data && mappings.data.length > 0 ? (
        <table className="data" style={{ marginTop: "1rem" }} data-testid="grant-mapping-list">
          <caption className="visually-hidden">Saved grant mappings</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Fields</th>
              <th scope="col">Saved</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {mappings.data.map((m) => (
              <tr key={m.id} data-testid={`grant-mapping-${m.name}`}>
                <td>
                  {m.name}
                  {m.definition.description ? <div className="muted">{m.definition.description}</div> : null}
                </td>
                <td>
                  {Object.entries(m.definition.fields)
                    .map(([part, field]) => `${part} ← ${field}`)
                    .join(", ")}
                </td>
                <td>
                  <Time iso={m.updatedAt} />
                  {m.createdBy ? <div className="muted">{m.createdBy}</div> : null}
                </td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => setDraft(fromBody(m.definition))}>
                    Edit<span className="visually-hidden"> {m.name}</span>
                  </button>{" "}
                  <label className="btn btn-small">
                    Ingest a file<span className="visually-hidden"> with {m.name}</span>
                    <input
                      type="file"
                      hidden
                      disabled={upload.isPending}
                      onChange={(e) => {
                        const file = e.target.files?.[0];
                        if (file) upload.mutate({ file, mapping: m.name });
                        e.target.value = "";
                      }}
                    />
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {upload.errorSummary ? (
        <div className="alert alert-error" role="alert">
          {upload.errorSummary}
        </div>
      ) : null}
      {uploaded ? (
        <div className="alert alert-ok" role="status" data-testid="grant-mapping-upload">
          {uploaded.fileName}: read {uploaded.read}, stored {uploaded.stored}, duplicate {uploaded.duplicate}, quarantined{" "}
          {uploaded.quarantined}
          {uploaded.quarantined ? " (the reasons are on the Ingest page)" : ""}.
        </div>
      ) : null}
    </section>
  );
}

function PreviewTable({ preview }: { preview: GrantPreview }) {
  return (
    <table className="data" style={{ marginTop: "1rem" }} data-testid="grant-preview">
      <caption>
        The first {preview.records.length} of {preview.read} record(s) in the sample, read through the mapping (nothing stored)
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Principal</th>
          <th scope="col">Role</th>
          <th scope="col">Platform</th>
          <th scope="col">Start</th>
          <th scope="col">End</th>
          <th scope="col">Approver</th>
          <th scope="col">Ticket</th>
          <th scope="col">Read as</th>
        </tr>
      </thead>
      <tbody>
        {preview.records.map((r) => (
          <tr key={r.position} data-testid={`grant-preview-${r.position}`}>
            <td>{r.position + 1}</td>
            {r.grant ? (
              <>
                <td>{r.grant.principal}</td>
                <td>{r.grant.role}</td>
                <td>{r.grant.platform ?? <span className="muted">none</span>}</td>
                <td>{r.grant.start}</td>
                <td>{r.grant.revoked ? `${r.grant.revoked} (revoked)` : (r.grant.end ?? <span className="muted">no end</span>)}</td>
                <td>{r.grant.approver ?? <span className="muted">none</span>}</td>
                <td>{r.grant.ticket ?? <span className="muted">none</span>}</td>
                <td>{STAGE_WORDS[r.grant.stage] ?? r.grant.stage}</td>
              </>
            ) : (
              <td colSpan={8} className="error-text">
                Quarantined: {r.reason}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
