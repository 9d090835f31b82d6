import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { PageHeader } from "@/components/empty-state";
import { UserManagement } from "./user-management";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const user = await requirePage("/settings/users");
  return (
    <>
      <p>
        <Link href="/settings">← Settings</Link>
      </p>
      <PageHeader
        title="Users"
        description="Create local accounts, change roles, and disable access. Single sign-on users appear after their first sign-in."
      />
      <UserManagement currentUserId={user.id} />
    </>
  );
}
