import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/guard";
import { env, oidcConfigured } from "@/lib/env";
import { SIGN_IN_ERRORS } from "@/lib/auth/sign-in-errors";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  // Only a path on this origin: never send a visitor to another site after sign-in (lib/auth/callback-url.ts).
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const code = params.error;
  const message = code ? (SIGN_IN_ERRORS[code as keyof typeof SIGN_IN_ERRORS] ?? SIGN_IN_ERRORS.Default) : null;
  return (
    <main className="login-wrap">
      <div className="login-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sessionproof
        </div>
        <h1>Sign in</h1>
        <p className="muted">Audit investigation dashboard</p>
        <LoginForm
          callbackUrl={callbackUrl}
          initialError={message}
          sso={oidcConfigured() ? { id: "oidc", name: env().SESSIONPROOF_OIDC_NAME } : null}
        />
      </div>
    </main>
  );
}
