import type { CourierClient } from "@courier-ts/client";
import { unwrap } from "@courier-ts/client";
import {
  type components,
  isNotFoundError,
  type PreferenceChannel,
  type PreferenceSection,
  type PreferenceUpdate,
  type TopicPreference,
} from "@courier-ts/core";
import type { Router } from "express";
import { forbidden, invalid, notFound } from "./errors.js";
import { isPlainObject, mountRoute } from "./routes.js";

type Section = components["schemas"]["WorkspacePreferenceGetResponse"];
type WorkspaceTopic = components["schemas"]["WorkspacePreferenceTopicGetResponse"];
type UserTopic = components["schemas"]["UsersTopicPreference"];

const TOPIC_ID = /^[A-Za-z0-9_\-:.]{1,128}$/;
const CHANNELS: ReadonlySet<string> = new Set<PreferenceChannel>([
  "direct_message",
  "email",
  "push",
  "sms",
  "webhook",
  "inbox",
]);

/** The workspace's sections with their topics (a section listed without them gets its topics fetched). */
async function workspaceSections(client: CourierClient): Promise<Section[]> {
  const { results } = await unwrap(client.GET("/preferences/sections"));
  return Promise.all(
    results.map(async (section) =>
      Array.isArray(section.topics)
        ? section
        : {
            ...section,
            topics: (
              await unwrap(
                client.GET("/preferences/sections/{section_id}/topics", {
                  params: { path: { section_id: section.id } },
                }),
              )
            ).results,
          },
    ),
  );
}

/** A workspace topic seen by one user: their choice where they made one, the default elsewhere. */
function topicFor(section: Section, topic: WorkspaceTopic, mine: UserTopic | undefined): TopicPreference {
  const required = topic.default_status === "REQUIRED";
  return {
    topic_id: topic.id,
    topic_name: topic.name,
    ...(topic.description ? { description: topic.description } : {}),
    status: required ? "REQUIRED" : (mine?.status ?? topic.default_status),
    default_status: topic.default_status,
    has_custom_routing: Boolean(mine?.has_custom_routing),
    custom_routing: mine?.custom_routing ?? [],
    routing_options: topic.routing_options.length > 0 ? topic.routing_options : section.routing_options,
  };
}

function findTopic(sections: Section[], topicId: string): { section: Section; topic: WorkspaceTopic } | undefined {
  for (const section of sections) {
    const topic = section.topics.find((t) => t.id === topicId);
    if (topic) {
      return { section, topic };
    }
  }
  return undefined;
}

function parseUpdate(body: unknown, options: PreferenceChannel[]): PreferenceUpdate {
  if (!isPlainObject(body) || (body.status !== "OPTED_IN" && body.status !== "OPTED_OUT")) {
    throw invalid("Body must be { status: OPTED_IN | OPTED_OUT, custom_routing?: channel[] }");
  }
  const routing = body.custom_routing;
  if (routing === undefined) {
    return { status: body.status };
  }
  if (
    !Array.isArray(routing) ||
    routing.length > CHANNELS.size ||
    new Set(routing).size !== routing.length ||
    !routing.every(
      (c) => typeof c === "string" && CHANNELS.has(c) && (options.length === 0 || options.includes(c as never)),
    )
  ) {
    throw invalid(
      `custom_routing must list distinct channels among: ${options.join(", ") || [...CHANNELS].join(", ")}`,
    );
  }
  return { status: body.status, custom_routing: routing as PreferenceChannel[] };
}

/**
 * `GET /preferences` (the user's topics grouped by the workspace's sections) and
 * `PUT /preferences/:topicId` (one topic's status and channels). Only topics the workspace defines can
 * be set, and a `REQUIRED` topic cannot be opted out.
 */
export function mountPreferenceRoutes(router: Router, client: CourierClient): void {
  mountRoute(router, "getPreferences", async ({ userId }) => {
    const [sections, mine] = await Promise.all([
      workspaceSections(client),
      unwrap(client.GET("/users/{user_id}/preferences", { params: { path: { user_id: userId } } })),
    ]);
    const byTopic = new Map(mine.items.map((item) => [item.topic_id, item]));
    return {
      sections: sections.map(
        (section): PreferenceSection => ({
          section_id: section.id,
          section_name: section.name,
          ...(section.description ? { description: section.description } : {}),
          topics: section.topics.map((topic) => topicFor(section, topic, byTopic.get(topic.id))),
        }),
      ),
    };
  });

  mountRoute(router, "updatePreference", async ({ userId, params, body }) => {
    const topicId = String(params.topicId ?? "");
    if (!TOPIC_ID.test(topicId)) {
      throw notFound();
    }
    const path = { user_id: userId, topic_id: topicId };
    const [sections, current] = await Promise.all([
      workspaceSections(client),
      unwrap(client.GET("/users/{user_id}/preferences/{topic_id}", { params: { path } })).then(
        (data) => data.topic as UserTopic | undefined,
        (error: unknown) => {
          if (isNotFoundError(error)) {
            return undefined;
          }
          throw error;
        },
      ),
    ]);
    const found = findTopic(sections, topicId);
    if (!found) {
      throw notFound();
    }
    const options =
      found.topic.routing_options.length > 0 ? found.topic.routing_options : found.section.routing_options;
    const update = parseUpdate(body, options);
    if (found.topic.default_status === "REQUIRED" && update.status === "OPTED_OUT") {
      throw forbidden(`"${found.topic.name}" is required and cannot be turned off`);
    }
    // A status-only change keeps the channels the user picked before.
    const customRouting = update.custom_routing ?? current?.custom_routing ?? [];
    const hasCustomRouting = update.custom_routing !== undefined ? true : Boolean(current?.has_custom_routing);
    await unwrap(
      client.PUT("/users/{user_id}/preferences/{topic_id}", {
        params: { path },
        body: {
          topic: {
            status: update.status,
            custom_routing: customRouting,
            has_custom_routing: hasCustomRouting,
          },
        },
      }),
    );
    return {
      topic: topicFor(found.section, found.topic, {
        topic_id: topicId,
        topic_name: found.topic.name,
        default_status: found.topic.default_status,
        status: update.status,
        custom_routing: customRouting,
        has_custom_routing: hasCustomRouting,
      }),
    };
  });
}
