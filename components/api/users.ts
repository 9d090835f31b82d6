"use client";

import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import type { UserDto } from "@/lib/users/user-dto";
import { apiFetch, listOf, send } from "./client";

export const usersKeys = {
  all: ["users"] as const,
  list: () => [...usersKeys.all, "list"] as const,
};

const userDto: z.ZodType<UserDto> = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  authProvider: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

const fetchUsers = () => apiFetch("/api/v1/users", listOf(userDto));
export const createUser = (body: Record<string, string>) => apiFetch("/api/v1/users", userDto, send("POST", body));
export const updateUser = ({ id, body }: { id: string; body: { role?: string; disabled?: boolean } }) =>
  apiFetch(`/api/v1/users/${id}`, userDto, send("PATCH", body));

export function useUsers() {
  return useQuery({ queryKey: usersKeys.list(), queryFn: fetchUsers });
}
