"use client";

import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import type { createUserContract } from "@/lib/users/create-user.types";
import { listUsersContract } from "@/lib/users/list-users.types";
import { userDto } from "@/lib/users/types";
import type { updateUserContract } from "@/lib/users/update-user.types";
import { apiFetch, itemsOf, send } from "./client";

// Answers are parsed by the routes' contracts (lib/users/*.types.ts: POST and PATCH answer the userDto their
// contracts name). The input contracts are imported as types only: their password rules carry the ~49k-word
// common-password list, which the browser does not need (the server's 422 names the problem).

export const usersKeys = {
  all: ["users"] as const,
  list: () => [...usersKeys.all, "list"] as const,
};

export type NewUser = z.input<typeof createUserContract.body>;
export type UserChange = z.input<typeof updateUserContract.body>;

const fetchUsers = () => apiFetch("/api/v1/users", itemsOf(listUsersContract.response));
export const createUser = (body: NewUser) => apiFetch("/api/v1/users", userDto, send("POST", body));
export const updateUser = ({ id, body }: { id: string; body: UserChange }) => apiFetch(`/api/v1/users/${id}`, userDto, send("PATCH", body));

export function useUsers() {
  return useQuery({ queryKey: usersKeys.list(), queryFn: fetchUsers });
}
