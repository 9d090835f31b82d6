"use client";

import { useState, type FormEvent } from "react";
import { usePlatforms } from "@/components/api/ingest";
import { useApiMutation } from "@/components/api/mutation";
import { createToken, revokeToken, tokensKeys, useTokens, type CreatedToken, type NewToken } from "@/components/api/tokens";
import { Time } from "@/components/time";

// Push API tokens: created here, shown once, stored hashed, scoped to one source, revocable.
export function ApiTokens() {
  const tokens = useTokens();
  const platforms = usePlatforms();
  // The token is shown once, so it stays on screen (even while a later attempt fails) until another one is created.
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useApiMutation({ mutationFn: createToken, invalidates: [tokensKeys.all], onSuccess: setCreated });
  const revoke = useApiMutation({ mutationFn: revokeToken, invalidates: [tokensKeys.all] });
  const error = create.errorSummary;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    for (const k of Object.keys(data)) if (data[k] === "") delete data[k];
    // The form's fields are the body's; the server checks them (its messages show above the form).
    create.mutate(data as NewToken, { onSuccess: () => form.reset() });
  }

  return (
    <section className="panel" aria-labelledby="tokens-h" style={{ marginTop: "1rem" }}>
      <h2 id="tokens-h" style={{ marginTop: 0 }}>
        Push API tokens
      </h2>
      <p className="muted">
        A token lets one system push one platform&apos;s logs to <code>POST /api/v1/ingest/&lt;platform&gt;</code> with{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>. It is shown once; Sessionproof keeps only its hash.
      </p>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      {created ? (
        <div className="alert alert-ok" role="status">
          <strong>Copy this token now; it will not be shown again.</strong>
          <div>
            <code data-testid="new-token">{created.token}</code>
          </div>
          <div className="muted">
            For source “{created.apiToken.sourceName}” ({created.apiToken.platform}).
          </div>
        </div>
      ) : null}
      <form onSubmit={submit}>
        <div className="form-row">
          <div className="field">
            <label htmlFor="token-name">Name</label>
            <input id="token-name" name="name" required placeholder="e.g. okta-log-streaming" />
          </div>
          <div className="field">
            <label htmlFor="token-platform">Platform</label>
            <select id="token-platform" name="platform" required defaultValue="">
              <option value="" disabled>
                Choose…
              </option>
              {(platforms.data ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="token-source">Source name (optional)</label>
            <input id="token-source" name="sourceName" placeholder="defaults to the platform" />
          </div>
          <div className="field">
            <label htmlFor="token-expiry">Expires in days (optional)</label>
            <input id="token-expiry" name="expiresInDays" type="number" min={1} max={3650} />
          </div>
          <div className="form-submit">
            <button className="btn" type="submit" disabled={create.isPending}>
              Create token
            </button>
          </div>
        </div>
      </form>
      {tokens.data && tokens.data.length > 0 ? (
        <table className="data" style={{ marginTop: "1rem" }}>
          <caption className="visually-hidden">Push API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Source</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} className={t.revokedAt ? "disabled" : undefined} data-testid={`token-${t.name}`}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}_…</code>
                </td>
                <td>
                  {t.sourceName} <span className="muted">({t.platform})</span>
                </td>
                <td>
                  <Time iso={t.createdAt} />
                  {t.createdBy ? <div className="muted">{t.createdBy}</div> : null}
                </td>
                <td>
                  <Time iso={t.lastUsedAt} empty={<span className="muted">never</span>} />
                </td>
                <td>
                  {t.revokedAt ? (
                    <span className="badge badge-off">Revoked</span>
                  ) : t.expiresAt && new Date(t.expiresAt) < new Date() ? (
                    "Expired"
                  ) : (
                    "Active"
                  )}
                </td>
                <td>
                  {t.revokedAt ? null : (
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (window.confirm(`Revoke ${t.name}? Pushes with it will be refused at once.`)) revoke.mutate(t.id);
                      }}
                    >
                      Revoke<span className="visually-hidden"> {t.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : tokens.data ? (
        <p className="muted">No tokens yet.</p>
      ) : null}
    </section>
  );
}
