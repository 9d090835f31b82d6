"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="content">
      <div className="alert alert-error" role="alert">
        <strong>This page could not be shown.</strong> Something went wrong on the server; it was logged
        {error.digest ? (
          <>
            {" "}
            with reference <code>{error.digest}</code>
          </>
        ) : null}
        . Try again, and if it keeps happening, give the reference to your administrator.
      </div>
      <button type="button" className="btn" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
