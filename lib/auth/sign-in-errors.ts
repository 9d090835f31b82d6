// Messages shown on the sign-in page. next-auth passes the thrown message (credentials) or the error code
// (OAuth) back to /login?error=...
export const SIGN_IN_ERRORS = {
  CredentialsSignin: "The email or password is not correct.",
  NoRole: "Your single sign-on account carries no Sessionproof role. Ask your identity administrator to assign one.",
  Disabled: "This account has been disabled. Ask a Sessionproof administrator to enable it.",
  NoEmail: "Your single sign-on account has no email address; Sessionproof needs one to identify you.",
  OAuthSignin: "Single sign-on could not start. Check the identity provider settings.",
  OAuthCallback: "The identity provider's answer could not be checked. Try again.",
  AccessDenied: "Sign-in was refused.",
  SessionRequired: "Please sign in to continue.",
  Default: "Sign-in failed. Try again.",
} as const;
