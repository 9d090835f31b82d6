import { AppError } from "@/lib/errors";

// Cross-site request forgery defence for every state-changing API request that a browser authenticates with the
// session cookie. SameSite=Lax does not stop a same-SITE page (another port on the host, a sibling subdomain) from
// posting a form with that cookie, so the request must show it comes from this app's own origin:
//  - Sec-Fetch-Site, when the browser sends it, must be "same-origin";
//  - Origin, when sent, must be the app's origin: NEXTAUTH_URL's, or the origin the request itself was sent to
//    (a browser cannot make a forged request carry the target's own origin);
//  - a request with a JSON body must say application/json: a cross-origin form can only send text/plain,
//    multipart or urlencoded bodies without a CORS preflight, which this app never grants.
// Every browser in use sends Origin and Sec-Fetch-Site on POST, PUT, PATCH and DELETE; a request with neither
// comes from a program (curl, the CLI's HTTP calls, tests), which a forged page cannot be. Bearer-token routes
// authenticate without cookies and are exempt.

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type OriginCheckInput = {
  method: string;
  /** Request headers (lower-case names, as Headers gives them). */
  headers: Pick<Headers, "get">;
  /** The origin of the request URL as the server received it. */
  requestOrigin: string;
  /** The app's canonical origin (from NEXTAUTH_URL), when configured. */
  appOrigin: string | null;
};

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Throws FORBIDDEN when a cookie-authenticated state-changing request did not come from this app's pages. */
export function assertSameOriginRequest({ method, headers, requestOrigin, appOrigin }: OriginCheckInput): void {
  if (!STATE_CHANGING.has(method.toUpperCase())) return;
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin") {
    throw new AppError("FORBIDDEN", `Refused a ${fetchSite} request: changes are accepted only from this app's own pages.`);
  }
  const origin = headers.get("origin");
  if (origin !== null) {
    const allowed = [appOrigin ? originOf(appOrigin) : null, originOf(requestOrigin)].filter((o): o is string => o !== null);
    if (!allowed.includes(origin)) {
      throw new AppError(
        "FORBIDDEN",
        `Refused a request from origin ${origin}: changes are accepted only from ${allowed[0] ?? "this app"}.`,
      );
    }
  }
}

/** Throws when a request carrying a body does not declare it as JSON (the form-post route to CSRF). */
export function assertJsonBody(headers: Pick<Headers, "get">): void {
  const type = (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const length = headers.get("content-length");
  const hasBody = length === null ? headers.get("transfer-encoding") !== null || type !== "" : Number(length) > 0;
  if (!hasBody) return;
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new AppError(
      "BAD_REQUEST",
      `Send the request body as JSON with Content-Type: application/json (got ${type || "no content type"}).`,
    );
  }
}
