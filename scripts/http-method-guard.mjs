// `node --import ./scripts/http-method-guard.mjs`: loaded into the web server by `npm start` (scripts/start.ts).
// Next turns every request into a WHATWG Request before any route or proxy code runs, and the Request constructor
// throws on TRACE, TRACK and CONNECT ("'TRACE' HTTP method is unsupported"), which Next answered with a 500 and a
// logged stack. These methods mean nothing to this app (TRACE would echo a request, cookies included), so the HTTP
// server answers them itself, before Next sees them: 405 with the methods that are allowed and a JSON message.
import http from "node:http";

const REFUSED = new Set(["TRACE", "TRACK", "CONNECT"]);
const ALLOWED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === "request") {
    const [req, res] = args;
    if (REFUSED.has(String(req.method).toUpperCase())) {
      const body = JSON.stringify({
        error: { code: "BAD_REQUEST", message: `The ${req.method} method is not supported here; use one of ${ALLOWED}.` },
      });
      res.writeHead(405, { "content-type": "application/json", allow: ALLOWED, "content-length": Buffer.byteLength(body) });
      res.end(body);
      req.resume();
      return true;
    }
  }
  return emit.call(this, event, ...args);
};
