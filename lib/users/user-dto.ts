import type { User } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/auth/permissions";

// What the API and UI may see of a user: never the password hash.
export type UserDto = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  authProvider: string;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};

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
