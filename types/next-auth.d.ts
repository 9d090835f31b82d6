/* eslint-disable @typescript-eslint/consistent-type-definitions -- module augmentation needs interfaces */
import type { Role } from "@/lib/auth/permissions";

declare module "next-auth" {
  interface Session {
    user: { id: string; email?: string | null; name?: string | null; role: Role; sessionVersion?: number };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    /** app_user.sessionVersion at sign-in; the guard ends the session once the user's version has moved on. */
    sv?: number;
  }
}
