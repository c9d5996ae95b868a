/**
 * `POST /inbound/courier`: a `track` event from your app. It is recorded (a repeated `messageId` is 409,
 * as Courier de-duplicates on it) and starts a run of every published journey whose trigger node
 * (`segment` or `webhook`) names the event in `event_id`, for the event's `userId` with its `properties`
 * as data. Answers 202 with the request's id.
 */
import { conflict } from "../errors.js";
import { route } from "../router.js";
import { type Json, setCapped, slot } from "../store.js";
import { journeysForEvent, startRun } from "./journeys.js";

interface InboundRecord {
  requestId: string;
  event: string;
  userId?: string;
  properties: Json;
  received: number;
  /** Journey runs the event started. */
  runIds: string[];
}

/** Inbound events by their `messageId`. */
export const inboundEvents = slot("inbound", () => new Map<string, InboundRecord>());

export const inboundRoutes = [
  route("post", "/inbound/courier", ({ body, store, now }) => {
    const seen = inboundEvents(store);
    if (seen.has(body.messageId)) {
      throw conflict(`An event with messageId "${body.messageId}" was already received`);
    }
    const requestId = store.nextId(now);
    const userId = body.userId ?? undefined;
    const runIds: string[] = [];
    for (const journey of journeysForEvent(store, body.event)) {
      if (userId) {
        runIds.push(startRun(store, journey, { user_id: userId, data: body.properties }, ["inbound"], now).id);
      }
    }
    // Events grow with traffic: capped like messages, oldest dropped first (its messageId may then repeat).
    setCapped(
      seen,
      body.messageId,
      {
        requestId,
        event: body.event,
        ...(userId ? { userId } : {}),
        properties: body.properties,
        received: now,
        runIds,
      },
      store.retention.messages,
    );
    return { status: 202, body: { messageId: requestId } };
  }),
];
