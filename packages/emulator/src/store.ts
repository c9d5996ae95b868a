/**
 * The emulator's in-memory state. Plain data, so tests can inspect it (`emulator.state`) and `reset()`
 * can drop it.
 */
import type { components } from "@courier-ts/core";

type Schemas = components["schemas"];
export type Json = Record<string, unknown>;

export interface ProfileRecord {
  profile: Json;
  preferences?: Schemas["RecipientPreferences"];
  created: number;
  updated: number;
}

export interface ListRecord {
  id: string;
  name: string;
  preferences?: Schemas["RecipientPreferences"];
  created: string;
  updated: string;
  deleted: boolean;
}

export interface SubscriptionRecord {
  listId: string;
  recipientId: string;
  created: string;
  preferences?: Schemas["RecipientPreferences"];
}

export interface AudienceRecord {
  id: string;
  name: string;
  description: string;
  operator: Schemas["LogicalOperator"];
  filter: Schemas["AudienceFilterConfig"];
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MessageRecord {
  id: string;
  requestId: string;
  /** user id, email or phone number the message went to. */
  recipient: string;
  userId?: string;
  event: string;
  notification: string;
  template?: string;
  content?: unknown;
  data: Json;
  channels: string[];
  tags: string[];
  tenantId?: string;
  traceId?: string;
  listId?: string;
  enqueued: number;
  /** When delivery may start (after `message.delay` or an automation delay). */
  deliverAt: number;
  deliverable: boolean;
  /** Set when the recipient's preferences filter the message out: it ends FILTERED with this reason. */
  filtered?: "UNSUBSCRIBED" | "OPT_IN_REQUIRED";
  canceledAt?: number;
  archived: boolean;
  /** How the message was created: `send`, `bulk`, `automation`, `resend`. */
  source: string;
}

export type BulkUserRecord = Schemas["InboundBulkMessageUser"] & {
  status: "PENDING" | "ENQUEUED" | "ERROR";
  messageId?: string;
};

export interface BulkJobRecord {
  id: string;
  definition: Schemas["InboundBulkMessage"];
  users: BulkUserRecord[];
  status: "CREATED" | "PROCESSING" | "COMPLETED" | "ERROR";
  created: number;
}

export interface AutomationStepRecord {
  action: string;
  status: "PENDING" | "WAITING" | "PROCESSED" | "CANCELED" | "ERROR";
  step: Json;
  processedAt?: number;
  messageId?: string;
  error?: string;
}

export interface AutomationRunRecord {
  id: string;
  templateId?: string;
  source: string[];
  created: number;
  recipient?: string;
  data: Json;
  profile: Json;
  brand?: string;
  template?: string;
  cancelationToken?: string;
  steps: AutomationStepRecord[];
  /** Index of the next step to run. */
  next: number;
  /** Set while a delay step holds the run. */
  waitUntil?: number;
  status: "PROCESSING" | "WAITING" | "PROCESSED" | "CANCELED" | "ERROR";
}

export interface IdempotentResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  expiresAt: number;
}

export class Store {
  profiles = new Map<string, ProfileRecord>();
  lists = new Map<string, ListRecord>();
  /** `${listId}\u0000${recipientId}` → subscription. */
  subscriptions = new Map<string, SubscriptionRecord>();
  audiences = new Map<string, AudienceRecord>();
  messages = new Map<string, MessageRecord>();
  /** requestId → message ids. */
  requests = new Map<string, string[]>();
  bulkJobs = new Map<string, BulkJobRecord>();
  runs = new Map<string, AutomationRunRecord>();
  idempotency = new Map<string, IdempotentResult>();
  /** Count of requests whose effect was recorded, per operation (`POST /send`...). */
  effects = new Map<string, number>();
  /** State owned by resource modules (see `slot()`), created on first use, dropped by `clear()`. */
  private slots = new Map<string, unknown>();
  private sequence = 0;

  /** The state of the resource module named `name`, made by `init` on first use after a reset. */
  slotOf<T>(name: string, init: () => T): T {
    let value = this.slots.get(name) as T | undefined;
    if (value === undefined) {
      value = init();
      this.slots.set(name, value);
    }
    return value;
  }

  /** Ids look like Courier's: `1-<8 hex>-<24 hex>`. */
  nextId(now: number): string {
    this.sequence++;
    const time = Math.floor(now / 1000)
      .toString(16)
      .padStart(8, "0")
      .slice(-8);
    return `1-${time}-${this.sequence.toString(16).padStart(24, "0")}`;
  }

  subscriptionKey(listId: string, recipientId: string): string {
    return `${listId}\u0000${recipientId}`;
  }

  subscribersOf(listId: string): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter((s) => s.listId === listId);
  }

  subscriptionsOf(recipientId: string): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter((s) => s.recipientId === recipientId);
  }

  /** Creates the list if it does not exist (subscribe calls auto-create lists), undeleting it. */
  ensureList(listId: string, now: number): ListRecord {
    let list = this.lists.get(listId);
    if (!list) {
      const at = new Date(now).toISOString();
      list = { id: listId, name: listId, created: at, updated: at, deleted: false };
      this.lists.set(listId, list);
    }
    return list;
  }

  recordEffect(operation: string): void {
    this.effects.set(operation, (this.effects.get(operation) ?? 0) + 1);
  }

  clear(): void {
    this.profiles.clear();
    this.lists.clear();
    this.subscriptions.clear();
    this.audiences.clear();
    this.messages.clear();
    this.requests.clear();
    this.bulkJobs.clear();
    this.runs.clear();
    this.idempotency.clear();
    this.effects.clear();
    this.slots.clear();
    this.sequence = 0;
  }
}

/**
 * Declares the state of one resource module (brands, tenants, ...). The module keeps its own records
 * here instead of growing `Store`, and `reset()` drops them with everything else.
 *
 * @example
 * ```ts
 * const brands = slot("brands", () => new Map<string, BrandRecord>());
 * route("get", "/brands/{brand_id}", ({ store, params }) => brands(store).get(params.brand_id) ...);
 * ```
 */
export function slot<T>(name: string, init: () => T): (store: Store) => T {
  return (store) => store.slotOf(name, init);
}
