import { useListSubscriptions, useSubscribe, useUnsubscribe } from "@courier-ts/react";
import { LISTS } from "../catalog.ts";

export function Lists() {
  const subs = useListSubscriptions();
  const subscribe = useSubscribe();
  const unsubscribe = useUnsubscribe();
  const error = subscribe.error ?? unsubscribe.error;
  return (
    <section aria-labelledby="lists-title">
      <div className="page-head">
        <div>
          <h1 id="lists-title">Mailing lists</h1>
          <p className="muted">Lists you can join. Each one sends to everyone on it.</p>
        </div>
      </div>
      {error ? (
        <p className="error" role="alert">
          That change was not saved: {error.message}
        </p>
      ) : null}
      {subs.isPending ? (
        <p className="muted">Loading lists…</p>
      ) : subs.error ? (
        <div className="card error-state" role="alert">
          <h2>Lists could not be loaded</h2>
          <p>{subs.error.message}</p>
          <button type="button" onClick={() => subs.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <ul className="card lists" data-testid="lists">
          {(subs.data.available ?? []).map((listId) => {
            const list = LISTS[listId as keyof typeof LISTS];
            const joined = subs.data.results.some((l) => l.id === listId);
            const id = `list-${listId}`;
            return (
              <li key={listId} className="topic-row">
                <div>
                  <label htmlFor={id} className="topic-name">
                    {list?.name ?? listId}
                  </label>
                  {list ? <p className="muted small">{list.description}</p> : null}
                </div>
                <input
                  id={id}
                  type="checkbox"
                  className="switch"
                  data-testid={id}
                  checked={joined}
                  onChange={(e) => (e.target.checked ? subscribe : unsubscribe).mutate({ listId })}
                />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
