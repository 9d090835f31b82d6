"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

export function LoginForm({
  callbackUrl,
  initialError,
  sso,
}: {
  callbackUrl: string;
  initialError: string | null;
  sso: { id: string; name: string } | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", {
      email: String(data.get("email") ?? ""),
      password: String(data.get("password") ?? ""),
      redirect: false,
      callbackUrl,
    });
    if (res?.ok && !res.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setBusy(false);
    setError(!res?.error || res.error === "CredentialsSignin" ? "The email or password is not correct." : res.error);
  }

  return (
    <>
      <div role="alert" aria-live="assertive">
        {error ? <div className="alert alert-error">{error}</div> : null}
      </div>
      {sso ? (
        <>
          <button type="button" className="btn full" onClick={() => signIn(sso.id, { callbackUrl })}>
            Sign in with {sso.name}
          </button>
          <div className="divider">or with a local account</div>
        </>
      ) : null}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button className={sso ? "btn btn-secondary full" : "btn full"} type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </>
  );
}
