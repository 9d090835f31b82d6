import { db } from "@/lib/db";
import { toUserDto, type UserDto } from "./user-dto";

export async function listUsers(_: Record<string, never> = {}): Promise<UserDto[]> {
  const users = await db().user.findMany({ orderBy: [{ disabled: "asc" }, { email: "asc" }] });
  return users.map(toUserDto);
}
