import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { can, PERMISSIONS, ROLE_DESCRIPTIONS, type Permission } from "@/lib/auth/permissions";
import { PageHeader } from "@/components/empty-state";
import { RoleBadge } from "@/components/role-badge";
import { getPublicKey } from "@/lib/ledger/public-key";
import { getGovernanceSettings, jitRequiredOn } from "@/lib/governance/settings";
import { approvalFeedIds, supportedPlatformIds } from "@/lib/sources/registry";
import { ApiTokens } from "./api-tokens";
import { GrantMappings } from "./grant-mappings";

export const metadata = { title: "Settings" };

const PERMISSION_LABELS: Record<Permission, string> = {
  "profile.read": "See your own profile",
  "sessions.read": "Browse sessions and timelines",
  "identities.read": "Browse identities",
  "lineage.read": "Explore token lineage",
  "coverage.read": "View coverage gaps",
  "compliance.read": "View framework coverage",
  "compliance.manage": "Scope controls out of the assessment and set the status thresholds",
  "governance.read": "View approval and JIT checks of privileged actions",
  "governance.manage": "Change the approval and JIT check settings",
  "findings.read": "View risk findings",
  "findings.dismiss": "Dismiss and reopen findings",
  "findings.approve": "Approve a risk acceptance someone else made",
  "cases.read": "Read cases",
  "cases.write": "Create and change cases",
  "cases.export": "Download case evidence",
  "ingest.read": "See ingest batches and quarantine",
  "ingest.write": "Ingest audit logs",
  "settings.read": "Open settings",
  "users.manage": "Manage users and roles",
  "tokens.manage": "Manage push API tokens",
  "grantMappings.manage": "Declare how grant exports of PAM / JIT tools are read",
  "holds.manage": "Place and release legal holds, set retention, purge",
  "retention.read": "See retention policies and legal holds",
  "audit.read": "Read the dashboard's own audit trail",
};

export default async function SettingsPage() {
  const user = await requirePage("/settings");
  const perms = Object.keys(PERMISSIONS) as Permission[];
  const [key, gov] = await Promise.all([getPublicKey({}), getGovernanceSettings()]);
  const approvalFeeds = approvalFeedIds();
  const jitPlatforms = supportedPlatformIds().filter((p) => !approvalFeeds.includes(p));
  return (
    <>
      <PageHeader title="Settings" description="Your account, your role's permissions, and administration." />
      <div className="grid-2">
        <section className="panel" aria-labelledby="profile-h">
          <h2 id="profile-h" style={{ marginTop: 0 }}>
            Your account
          </h2>
          <dl className="kv">
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Name</dt>
            <dd>{user.name ?? <span className="muted">not set</span>}</dd>
            <dt>Role</dt>
            <dd>
              <RoleBadge role={user.role} />
            </dd>
          </dl>
          <p className="muted">{ROLE_DESCRIPTIONS[user.role]}</p>
          {can(user.role, "users.manage") ? (
            <p>
              <Link className="btn" href="/settings/users">
                Manage users
              </Link>
            </p>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="perm-h">
          <h2 id="perm-h" style={{ marginTop: 0 }}>
            What your role can do
          </h2>
          <table className="data">
            <caption className="visually-hidden">Permissions of your role</caption>
            <thead>
              <tr>
                <th scope="col">Permission</th>
                <th scope="col">Allowed</th>
              </tr>
            </thead>
            <tbody>
              {perms.map((p) => (
                <tr key={p}>
                  <td>{PERMISSION_LABELS[p]}</td>
                  <td>{can(user.role, p) ? "Yes" : <span className="muted">No</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="panel" aria-labelledby="key-h" style={{ marginTop: "1rem" }}>
        <h2 id="key-h" style={{ marginTop: 0 }}>
          Ledger signing key
        </h2>
        <p className="muted">
          Every ledger checkpoint is signed with this Ed25519 key. Auditors check exported evidence against it; it is also served at{" "}
          <a href="/api/v1/ledger/public-key?format=pem">/api/v1/ledger/public-key</a>.
        </p>
        <p className="muted">
          Give auditors the fingerprint through a channel other than the evidence package (they pass it to{" "}
          <code>node verify.mjs --expect-key</code>);{" "}
          <code>openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256</code> prints it from a PEM file.
        </p>
        <dl className="kv">
          <dt>Key id</dt>
          <dd>
            <code data-testid="key-id">{key.keyId}</code>
          </dd>
          <dt>Fingerprint (SHA-256)</dt>
          <dd>
            <code data-testid="key-fingerprint">{key.fingerprint}</code>
          </dd>
          <dt>Public key</dt>
          <dd>
            <pre className="pem">{key.publicKeyPem}</pre>
          </dd>
        </dl>
        {key.keys.length > 1 ? (
          <>
            <h3>Earlier keys</h3>
            <p className="muted">
              Rotated with <code>npm run cli -- ledger rotate-key</code>; each key is vouched for by a statement signed with the key before
              it.
            </p>
            <table className="data" data-testid="key-history">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Key id</th>
                  <th scope="col">Fingerprint</th>
                  <th scope="col">Signs checkpoints</th>
                </tr>
              </thead>
              <tbody>
                {key.keys.map((k) => (
                  <tr key={k.fingerprint}>
                    <td>{k.seq}</td>
                    <td>
                      <code>{k.keyId}</code>
                    </td>
                    <td>
                      <code>{k.fingerprint}</code>
                    </td>
                    <td>
                      #{k.afterCheckpoint + 1}
                      {k.untilCheckpoint === null ? " on (current)" : ` to #${k.untilCheckpoint}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="gov-h" style={{ marginTop: "1rem" }}>
        <h2 id="gov-h" style={{ marginTop: 0 }}>
          Governance checks
        </h2>
        <p className="muted">
          How privileged actions are judged against their approvals and JIT grants (used from the next analysis run).
          {can(user.role, "governance.manage") ? (
            <>
              {" "}
              Change them with <code>PUT /api/v1/governance/settings</code>; every change is in the audit trail.
            </>
          ) : null}
        </p>
        <dl className="kv" data-testid="governance-settings">
          <dt>Approval validity without a planned window</dt>
          <dd>{gov.approvalValidityHours} hours after approval</dd>
          <dt>Most actions per ticket</dt>
          <dd>{gov.maxActionsPerTicket}</dd>
          <dt>Clock-skew tolerance at each window edge</dt>
          <dd>{gov.clockSkewSeconds} seconds</dd>
          <dt>JIT grant required on</dt>
          <dd>{jitPlatforms.filter((p) => jitRequiredOn(gov, p)).join(", ") || <span className="muted">no platform</span>}</dd>
          <dt>Approval alone suffices on</dt>
          <dd>{jitPlatforms.filter((p) => !jitRequiredOn(gov, p)).join(", ") || <span className="muted">no platform</span>}</dd>
        </dl>
      </section>
      {can(user.role, "tokens.manage") ? <ApiTokens /> : null}
      {can(user.role, "grantMappings.manage") ? <GrantMappings /> : null}
    </>
  );
}
