import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="login-wrap">
      <div className="login-card">
        <h1>You don&apos;t have access to this page</h1>
        <p className="muted">
          Your role does not include this part of Sessionproof. If you need it for your work, ask an administrator to change your role.
        </p>
        <Link className="btn" href="/sessions">
          Go to Sessions
        </Link>
      </div>
    </main>
  );
}
