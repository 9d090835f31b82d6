import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { db } from "@/lib/db";
import { env, oidcConfigured } from "@/lib/env";
import { recordAudit } from "@/lib/audit/record-audit";
import { forSignIn, system } from "@/lib/context/request-context";
import { clientInfo, type ClientInfo } from "./request-info";
import { signInWithPassword } from "./sign-in";
import { roleFromClaims } from "./oidc-role";
import { endSessionsOnSignOut } from "./sign-out";
import { authRedirect } from "./callback-url";
import type { Role } from "./permissions";

const OIDC_PROVIDER_ID = "oidc";

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string } & Record<string, unknown>;

function oidcProvider(): OAuthConfig<OidcProfile>[] {
  if (!oidcConfigured()) return [];
  const e = env();
  const issuer = e.SESSIONPROOF_OIDC_ISSUER!.replace(/\/$/, "");
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: e.SESSIONPROOF_OIDC_NAME,
      type: "oauth",
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      clientId: e.SESSIONPROOF_OIDC_CLIENT_ID,
      clientSecret: e.SESSIONPROOF_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state", "nonce"],
      profile(profile) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.preferred_username ?? null };
      },
    },
  ];
}

/**
 * next-auth's options. `client` is the caller's address and user agent, for the audit entries of next-auth's own
 * endpoints (app/api/auth); other callers (getServerSession) leave it out.
 */
export function authOptions(client: ClientInfo = { ip: null, userAgent: null }): NextAuthOptions {
  const e = env();
  const secure = (e.NEXTAUTH_URL ?? process.env.NEXTAUTH_URL ?? "").startsWith("https://");
  return {
    secret: e.NEXTAUTH_SECRET ?? process.env.NEXTAUTH_SECRET,
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw, req) {
          return signInWithPassword({ credentials: raw, client: clientInfo(req?.headers) });
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      // The callbackUrl a client posts to next-auth (a path or a URL): only a path on this origin is followed.
      async redirect(params) {
        return authRedirect(params);
      },
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const claims = (profile ?? {}) as OidcProfile;
        const email = typeof claims.email === "string" ? claims.email.toLowerCase() : null;
        if (!email) return "/login?error=NoEmail";
        const role = roleFromClaims(claims, {
          claim: e.SESSIONPROOF_OIDC_ROLE_CLAIM,
          map: e.SESSIONPROOF_OIDC_ROLE_MAP,
          defaultRole: e.SESSIONPROOF_OIDC_DEFAULT_ROLE,
        });
        const existing =
          (await db().user.findUnique({ where: { oidcSubject: claims.sub } })) ?? (await db().user.findUnique({ where: { email } }));
        if (existing?.disabled) {
          await recordAudit({
            ctx: forSignIn({ id: existing.id, email }),
            details: { type: "auth.sign_in_failed", provider: "oidc", email, reason: "disabled" },
          });
          return "/login?error=Disabled";
        }
        if (!role) {
          await recordAudit({
            ctx: forSignIn({ email }),
            details: { type: "auth.sign_in_failed", provider: "oidc", email, reason: "no_role_claim" },
          });
          return "/login?error=NoRole";
        }
        // The identity provider is the source of truth for SSO users: their role follows the claim at each sign-in.
        // A changed role ends the user's other sessions, as a role change by an administrator does.
        await db().$transaction(async (tx) => {
          const user = existing
            ? await tx.user.update({
                where: { id: existing.id },
                data: {
                  role,
                  oidcSubject: claims.sub,
                  lastLoginAt: new Date(),
                  name: claims.name ?? existing.name,
                  ...(existing.role !== role ? { sessionVersion: { increment: 1 } } : {}),
                },
              })
            : await tx.user.create({
                data: {
                  email,
                  name: typeof claims.name === "string" ? claims.name : null,
                  role,
                  authProvider: "oidc",
                  oidcSubject: claims.sub,
                  lastLoginAt: new Date(),
                },
              });
          if (!existing) {
            await recordAudit(
              {
                ctx: system(),
                resourceType: "user",
                resourceId: user.id,
                details: { type: "user.created", email, role, provider: "oidc" },
              },
              tx,
            );
          }
          await recordAudit({ ctx: forSignIn({ id: user.id, email }), details: { type: "auth.sign_in", provider: "oidc" } }, tx);
        });
        return true;
      },
      async jwt({ token, user, account }) {
        if (account?.provider === OIDC_PROVIDER_ID && account.providerAccountId) {
          const u = await db().user.findUnique({ where: { oidcSubject: account.providerAccountId } });
          if (u) {
            token.uid = u.id;
            token.role = u.role;
            token.sv = u.sessionVersion;
          }
        } else if (user) {
          const signedIn = user as { role?: Role; sessionVersion?: number };
          token.uid = user.id;
          token.role = signedIn.role;
          token.sv = signedIn.sessionVersion;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) {
          session.user.id = token.uid as string;
          session.user.role = token.role as Role;
          session.user.sessionVersion = token.sv;
        }
        return session;
      },
    },
    events: {
      // Signing out ends every session of the user, this one included: with JWT sessions a copy of the cookie
      // would otherwise stay valid until it expires.
      async signOut({ token }) {
        await endSessionsOnSignOut({ token, client });
      },
    },
  };
}
