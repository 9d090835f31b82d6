// `node --import ./scripts/peer-address.mjs …next start`: stamps every HTTP request the web server receives with its
// TCP peer address, in the x-sessionproof-peer header, before Next.js sees the request. Next gives route handlers
// and pages the headers only (no socket), so this is how lib/auth/request-info.ts learns the address a client cannot
// choose; it overwrites whatever a client sent under that name. Node's "http.server.request.start" diagnostics
// channel is published synchronously for each request just before the server's 'request' event, so no request
// reaches Next without the stamp. scripts/start.ts preloads it for `next start` and `next dev`.
import dc from "node:diagnostics_channel";

const PEER_HEADER = "x-sessionproof-peer";

dc.subscribe("http.server.request.start", ({ request, socket }) => {
  request.headers[PEER_HEADER] = (socket ?? request.socket)?.remoteAddress ?? "";
});

// Tells lib/auth/request-info.ts that the header is the server's own (without this, it ignores the header).
globalThis[Symbol.for("sessionproof.peer-address-stamp")] = PEER_HEADER;
