"use client";

import { useMemo, useState, type FormEvent } from "react";
import { ROLES, ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import type { UserDto } from "@/lib/users/user-dto";
import { useApiMutation } from "@/components/api/mutation";
import { createUser, updateUser, useUsers, usersKeys, type NewUser } from "@/components/api/users";
import { RoleBadge } from "@/components/role-badge";
import { SortHeader, useSorted } from "@/components/sortable";
import { Time } from "@/components/time";

type SortKey = "email" | "role" | "authProvider" | "lastLoginAt" | "createdAt";

export function UserManagement({ currentUserId }: { currentUserId: string }) {
  const users = useUsers();
  const [filter, setFilter] = useState("");
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  const update = useApiMutation({
    mutationFn: updateUser,
    invalidates: [usersKeys.all],
    onSuccess: (u) => setNotice({ kind: "ok", text: `Saved ${u.email}.` }),
  });
  // The last change's failure replaces the notice until the next one.
  const shown = update.errorMessage ? { kind: "error" as const, text: update.errorMessage } : notice;

  const filtered = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (users.data ?? []).filter((u) => !f || u.email.includes(f) || (u.name ?? "").toLowerCase().includes(f) || u.role.includes(f));
  }, [users.data, filter]);
  const { sorted: rows, sort, toggle } = useSorted<UserDto, SortKey>(filtered, { key: "email", dir: 1 });

  const header = (key: SortKey, label: string) => <SortHeader column={key} label={label} sort={sort} onSort={toggle} />;

  return (
    <>
      <CreateUserForm
        onCreated={(u) => {
          update.reset();
          setNotice({ kind: "ok", text: `Created ${u.email} as ${ROLE_LABELS[u.role]}.` });
        }}
      />
      <section className="panel" aria-labelledby="users-h" style={{ marginTop: "1rem" }}>
        <h2 id="users-h" style={{ marginTop: 0 }}>
          All users
        </h2>
        <div role="status" aria-live="polite">
          {shown ? <div className={`alert alert-${shown.kind}`}>{shown.text}</div> : null}
        </div>
        <div className="table-tools">
          <label htmlFor="user-filter" className="visually-hidden">
            Filter users
          </label>
          <input
            id="user-filter"
            type="search"
            placeholder="Filter by email, name or role"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <span className="muted">
            {rows.length} of {users.data?.length ?? 0} users
          </span>
        </div>
        {users.isPending ? <p>Loading users…</p> : null}
        {users.isError ? <div className="alert alert-error">Could not load users: {users.error.message}</div> : null}
        {users.data ? (
          <table className="data">
            <caption className="visually-hidden">Users, sortable by column</caption>
            <thead>
              <tr>
                {header("email", "Email")}
                {header("role", "Role")}
                {header("authProvider", "Sign-in")}
                {header("lastLoginAt", "Last sign-in")}
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={6} className="muted">
                    No user matches “{filter}”.
                  </td>
                </tr>
              ) : null}
              {rows.map((u) => (
                <tr key={u.id} className={u.disabled ? "disabled" : undefined} data-testid={`user-row-${u.email}`}>
                  <td>
                    {u.email}
                    {u.name ? <div className="muted">{u.name}</div> : null}
                  </td>
                  <td>
                    {u.id === currentUserId ? (
                      <RoleBadge role={u.role} />
                    ) : (
                      <>
                        <label htmlFor={`role-${u.id}`} className="visually-hidden">
                          Role of {u.email}
                        </label>
                        <select
                          id={`role-${u.id}`}
                          value={u.role}
                          disabled={update.isPending}
                          onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value as Role } })}
                          style={{ width: "auto" }}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                      </>
                    )}
                  </td>
                  <td>{u.authProvider === "oidc" ? "Single sign-on" : "Password"}</td>
                  <td>
                    <Time iso={u.lastLoginAt} empty={<span className="muted">never</span>} />
                  </td>
                  <td>{u.disabled ? <span className="badge badge-off">Disabled</span> : "Active"}</td>
                  <td>
                    {u.id === currentUserId ? (
                      <span className="muted">you</span>
                    ) : (
                      <button
                        type="button"
                        className={`btn btn-small ${u.disabled ? "btn-secondary" : "btn-danger"}`}
                        disabled={update.isPending}
                        onClick={() => {
                          if (!u.disabled && !window.confirm(`Disable ${u.email}? They are signed out at their next request.`)) return;
                          update.mutate({ id: u.id, body: { disabled: !u.disabled } });
                        }}
                      >
                        {u.disabled ? "Enable" : "Disable"}
                        <span className="visually-hidden"> {u.email}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (u: UserDto) => void }) {
  const create = useApiMutation({ mutationFn: createUser, invalidates: [usersKeys.all] });
  const fields = create.fieldErrors;
  const error = create.errorMessage;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    // The form's fields are the body's; the server checks them (its field messages show beside each input).
    const data = Object.fromEntries(new FormData(form).entries()) as NewUser;
    create.mutate(data, {
      onSuccess: (u) => {
        form.reset();
        onCreated(u);
      },
    });
  }

  const fieldError = (name: string) =>
    fields[name] ? (
      <div className="error" id={`${name}-error`}>
        {fields[name].join(" ")}
      </div>
    ) : null;

  return (
    <section className="panel" aria-labelledby="create-h">
      <h2 id="create-h" style={{ marginTop: 0 }}>
        Add a user
      </h2>
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <div className="field">
            <label htmlFor="new-email">Email</label>
            <input id="new-email" name="email" type="email" required autoComplete="off" aria-describedby="email-error" />
            {fieldError("email")}
          </div>
          <div className="field">
            <label htmlFor="new-name">Name (optional)</label>
            <input id="new-name" name="name" type="text" autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor="new-role">Role</label>
            <select id="new-role" name="role" defaultValue="analyst">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="new-password">Initial password</label>
            <input
              id="new-password"
              name="password"
              type="password"
              required
              minLength={12}
              autoComplete="new-password"
              aria-describedby="password-hint password-error"
            />
            <div className="hint" id="password-hint">
              At least 12 characters. Share it privately.
            </div>
            {fieldError("password")}
          </div>
          <div className="form-submit">
            <button className="btn" type="submit" disabled={create.isPending}>
              {create.isPending ? "Adding…" : "Add user"}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
