/** Readable words for what Courier returns: statuses, channels, templates, times. */
import type { Message, PreferenceChannel } from "@courier-ts/react";
import { TEMPLATES } from "./catalog.ts";

const STATUS: Record<string, { label: string; tone: "ok" | "wait" | "bad" | "muted" }> = {
  ENQUEUED: { label: "Queued", tone: "wait" },
  ROUTED: { label: "Sending", tone: "wait" },
  SENT: { label: "Sent", tone: "wait" },
  DELIVERED: { label: "Delivered", tone: "ok" },
  OPENED: { label: "Opened", tone: "ok" },
  CLICKED: { label: "Clicked", tone: "ok" },
  FILTERED: { label: "Not sent: turned off", tone: "muted" },
  CANCELED: { label: "Canceled", tone: "muted" },
  UNDELIVERABLE: { label: "Could not deliver", tone: "bad" },
  UNROUTABLE: { label: "No channel", tone: "bad" },
  THROTTLED: { label: "Delayed (rate limit)", tone: "wait" },
  DELAYED: { label: "Scheduled", tone: "wait" },
};

export function statusLabel(status: string): { label: string; tone: "ok" | "wait" | "bad" | "muted" } {
  return STATUS[status] ?? { label: status.charAt(0) + status.slice(1).toLowerCase(), tone: "muted" };
}

const CHANNELS: Record<string, string> = {
  email: "Email",
  sms: "Text message",
  push: "Push",
  inbox: "In-app",
  direct_message: "Chat",
  webhook: "Webhook",
};

export const channelLabel = (channel: PreferenceChannel | string): string => CHANNELS[channel] ?? channel;

export function messageTitle(message: Message): string {
  if (message.notification === "inline-content") {
    return "A message you sent yourself";
  }
  return TEMPLATES[message.notification as keyof typeof TEMPLATES] ?? "Notification";
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "3 minutes ago", "yesterday"... */
export function ago(epochMs: number, now = Date.now()): string {
  const seconds = Math.round((epochMs - now) / 1000);
  if (Math.abs(seconds) < 45) {
    return "just now";
  }
  for (const [unit, size] of [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ] as const) {
    if (Math.abs(seconds) >= size) {
      return relative.format(Math.round(seconds / size), unit);
    }
  }
  return relative.format(seconds, "second");
}

export const HISTORY: Record<string, string> = {
  ENQUEUED: "Accepted by Courier",
  ROUTED: "Routed to its channels",
  SENT: "Handed to the provider",
  DELIVERED: "Delivered",
  FILTERED: "Filtered by your preferences",
  UNDELIVERABLE: "Could not be delivered",
  CANCELED: "Canceled",
};
