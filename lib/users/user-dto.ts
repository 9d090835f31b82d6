import type { User } from "@/lib/generated/prisma/client";
import type { UserDto } from "./types";

export type { UserDto } from "./types";

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    authProvider: u.authProvider,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  };
}
