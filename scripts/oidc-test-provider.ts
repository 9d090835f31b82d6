// A real OpenID Connect provider for the end-to-end tests (the `oidc-provider` package, certified OpenID
// implementation), standing in for Okta or Entra ID. Its built-in development login form accepts any login;
// the login names the account, and the account's role claim follows from it:
//   "<name>.<role>"  -> sessionproof_role = <role>      (e.g. "olivia.analyst")
//   anything else    -> no role claim                    (sign-in must be refused with a clear message)
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_TEST_PORT ?? 3901);
const issuer = `http://127.0.0.1:${port}`;
const appUrl = process.env.OIDC_TEST_APP_URL ?? "http://127.0.0.1:3100";

const roles = new Set(["admin", "analyst", "compliance", "auditor"]);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID ?? "sessionproof-e2e",
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET ?? "sessionproof-e2e-client-secret",
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  async findAccount(_ctx, id) {
    const role = id.split(".").pop() ?? "";
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@sso.example.test`,
          email_verified: true,
          name: id,
          ...(roles.has(role) ? { sessionproof_role: role } : {}),
        };
      },
    };
  },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "sessionproof_role"] },
  // Put the requested claims into the ID token (as Okta and Entra do for the claims an app is configured with).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["sessionproof-e2e-oidc-cookie-key"] },
  // Consent is implied for the test client, so the flow is: login form -> back to Sessionproof.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`[oidc-test-provider] issuer ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
