import { useProfile, useUpdateProfile } from "@courier-ts/react";
import { type FormEvent, useState } from "react";

export function Profile({ userId }: { userId: string }) {
  const profile = useProfile();
  const update = useUpdateProfile();
  const [name, setName] = useState<string>();
  if (profile.isPending) {
    return <p className="muted">Loading your profile…</p>;
  }
  if (profile.error) {
    return (
      <div className="card error-state" role="alert">
        <h2>Your profile could not be loaded</h2>
        <p>{profile.error.message}</p>
        <button type="button" onClick={() => profile.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (name !== undefined) {
      update.mutate({ name }, { onSuccess: () => setName(undefined) });
    }
  };
  const value = (field: string) => String(profile.data[field] ?? "");
  return (
    <section aria-labelledby="profile-title">
      <div className="page-head">
        <div>
          <h1 id="profile-title">Profile</h1>
          <p className="muted">How Acme reaches you.</p>
        </div>
      </div>
      <form className="card form" onSubmit={save} data-testid="profile">
        <label htmlFor="profile-name">Display name</label>
        <input
          id="profile-name"
          data-testid="profile-name"
          value={name ?? value("name")}
          onChange={(e) => setName(e.target.value)}
          autoComplete="name"
        />
        <label htmlFor="profile-email">Email</label>
        <input
          id="profile-email"
          data-testid="profile-email"
          value={value("email")}
          readOnly
          aria-describedby="managed"
        />
        <label htmlFor="profile-phone">Mobile number</label>
        <input
          id="profile-phone"
          data-testid="profile-phone_number"
          value={value("phone_number") || "Not set"}
          readOnly
          aria-describedby="managed"
        />
        <p id="managed" className="muted small">
          Email and mobile number come from your Acme account and are kept in sync with Courier when you sign in; they
          cannot be changed here.
        </p>
        <div className="actions">
          <button
            type="submit"
            className="primary"
            data-testid="profile-save"
            disabled={update.isPending || name === undefined}
          >
            {update.isPending ? "Saving…" : "Save"}
          </button>
          {update.isSuccess ? (
            <span className="muted" data-testid="profile-saved" aria-live="polite">
              Saved.
            </span>
          ) : null}
        </div>
        {update.error ? (
          <p className="error" role="alert">
            Not saved: {update.error.message}
          </p>
        ) : null}
        <p className="muted small">Courier user ID: {userId}</p>
      </form>
    </section>
  );
}
