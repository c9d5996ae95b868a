import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import { PREFERENCE_PAGE } from "../src/catalog.ts";

/** Sets up the preference page in the emulator (a real workspace is set up in Courier's own designer). */
export async function seedPreferencePage(client: CourierClient): Promise<void> {
  for (const section of PREFERENCE_PAGE) {
    await unwrap(
      client.PUT("/preferences/sections/{section_id}", {
        params: { path: { section_id: section.id } },
        body: { name: section.name, routing_options: section.channels, has_custom_routing: true },
      }),
    );
    for (const topic of section.topics) {
      await unwrap(
        client.PUT("/preferences/sections/{section_id}/topics/{topic_id}", {
          params: { path: { section_id: section.id, topic_id: topic.id } },
          // `notifications` is the emulator's own field: which templates the topic covers, so that a
          // send of one of them honours the user's choice.
          body: {
            name: topic.name,
            description: topic.description,
            default_status: topic.status,
            allowed_preferences: ["channel_preferences"],
            notifications: topic.templates,
          } as never,
        }),
      );
    }
  }
}
