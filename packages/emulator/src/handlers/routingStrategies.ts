import type { components } from "@courier-ts/core";
import { notFound } from "../errors.js";
import { limitOf } from "../listing.js";
import { page } from "../paging.js";
import { type RequestBody, route } from "../router.js";
import { type Store, slot } from "../store.js";
import { audit } from "./auditEvents.js";
import { notificationsUsing } from "./notifications.js";

type Strategy = components["schemas"]["RoutingStrategyGetResponse"];
type StrategyBody = RequestBody<"/routing-strategies", "post">;

/** Who the emulator says created or changed a strategy: the API key, never named. */
const CREATOR = "api_key";

const strategies = slot("routingStrategies", () => new Map<string, Strategy>());

function strategyOf(store: Store, id: string): Strategy {
  const strategy = strategies(store).get(id);
  if (!strategy) {
    throw notFound(`Routing strategy ${id} not found`);
  }
  return strategy;
}

/** Null and absent `channels`/`providers` are stored as `{}`, as the response requires both. */
function fields(body: StrategyBody) {
  return {
    name: body.name,
    routing: body.routing,
    channels: body.channels ?? {},
    providers: body.providers ?? {},
    ...(body.description != null ? { description: body.description } : {}),
    ...(body.tags != null ? { tags: body.tags } : {}),
  };
}

export const routingStrategyRoutes = [
  route("get", "/routing-strategies", ({ query, store }) => {
    const rows = [...strategies(store).values()].map((s) => ({
      id: s.id,
      name: s.name,
      created: s.created,
      creator: s.creator,
      ...(s.description != null ? { description: s.description } : {}),
      ...(s.tags != null ? { tags: s.tags } : {}),
      ...(s.updated != null ? { updated: s.updated, updater: s.updater } : {}),
    }));
    const { items, paging } = page(rows, query.get("cursor"), limitOf(query));
    return { status: 200, body: { results: items, paging } };
  }),

  route("post", "/routing-strategies", ({ body, store, now }) => {
    // Courier's strategy ids carry an `rs_` prefix.
    const id = `rs_${store.nextId(now)}`;
    const strategy: Strategy = { id, ...fields(body), created: now, creator: CREATOR };
    strategies(store).set(id, strategy);
    audit(store, now, "routing_strategy:created", id);
    return { status: 200, body: strategy };
  }),

  route("get", "/routing-strategies/{id}", ({ params, store }) => ({
    status: 200,
    body: strategyOf(store, params.id ?? ""),
  })),

  // Replace: description and tags left out are cleared.
  route("put", "/routing-strategies/{id}", ({ params, body, store, now }) => {
    const existing = strategyOf(store, params.id ?? "");
    const strategy: Strategy = {
      id: existing.id,
      ...fields(body),
      created: existing.created,
      creator: existing.creator,
      updated: now,
      updater: CREATOR,
    };
    strategies(store).set(existing.id, strategy);
    audit(store, now, "routing_strategy:updated", existing.id);
    return { status: 200, body: strategy };
  }),

  // Templates that name an archived strategy keep the reference, as they would in Courier's editor.
  route("delete", "/routing-strategies/{id}", ({ params, store, now }) => {
    const strategy = strategyOf(store, params.id ?? "");
    strategies(store).delete(strategy.id);
    audit(store, now, "routing_strategy:archived", strategy.id);
    return { status: 204, body: undefined };
  }),

  route("get", "/routing-strategies/{id}/notifications", ({ params, query, store }) => {
    const strategy = strategyOf(store, params.id ?? "");
    const { items, paging } = page(notificationsUsing(store, strategy.id), query.get("cursor"), limitOf(query));
    return { status: 200, body: { results: items, paging } };
  }),
];
