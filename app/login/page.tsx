import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/guard";
import { env, oidcConfigured } from "@/lib/env";
import { SIGN_IN_ERRORS } from "@/lib/auth/options";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in" };

function safeCallback(url: string | undefined): string {
  // Only same-site paths: never redirect to another origin after sign-in.
  return url && url.startsWith("/") && !url.startsWith("//") ? url : "/sessions";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
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
