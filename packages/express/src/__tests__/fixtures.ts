import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";

/** A workspace preference page: two sections, one REQUIRED topic, one topic opted out by default. */
export async function seedPreferences(client: CourierClient): Promise<void> {
  await unwrap(
    client.PUT("/preferences/sections/{section_id}", {
      params: { path: { section_id: "account" } },
      body: { name: "Account", routing_options: ["email", "sms"] },
    }),
  );
  await unwrap(
    client.PUT("/preferences/sections/{section_id}", {
      params: { path: { section_id: "updates" } },
      body: { name: "Product updates", routing_options: ["email", "push", "inbox"] },
    }),
  );
  const topics: Array<[string, string, string, "OPTED_IN" | "OPTED_OUT" | "REQUIRED"]> = [
    ["account", "security", "Security alerts", "REQUIRED"],
    ["account", "billing", "Billing", "OPTED_IN"],
    ["updates", "news", "Product news", "OPTED_IN"],
    ["updates", "tips", "Tips and tricks", "OPTED_OUT"],
  ];
  for (const [section, topic, name, status] of topics) {
    await unwrap(
      client.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
        params: { path: { section_id: section, topic_id: topic } },
        body: { name, default_status: status },
      }),
    );
  }
}
