import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { clientInfo } from "@/lib/auth/request-info";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// GET, POST /api/auth/* - next-auth's own endpoints (sign-in, callback, csrf, session, sign-out); public.
async function handler(req: NextRequest, ctx: Ctx) {
  return NextAuth(req, ctx as never, authOptions(clientInfo(req.headers)));
}

export { handler as GET, handler as POST };
