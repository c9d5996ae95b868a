/**
 * The Courier API's types, generated from `spec/` (see `./generated/openapi.ts`), plus friendly
 * names for the schemas people use most.
 */
import type { components, operations, paths } from "./generated/openapi.js";

export type { DeleteCalls, GetCalls, PatchCalls, PostCalls, PutCalls } from "./generated/calls.js";
export type { components, operations, paths };

type Schemas = components["schemas"];

/** Any schema in the spec by name: `Schema<"Message">`. */
export type Schema<Name extends keyof Schemas> = Schemas[Name];

/** The `message` of `POST /send`: recipients (`to`), template or content, data, routing and more. */
export type Message = Schemas["Message"];
/** A message with inline `content` (sugar `{ title, body }` or Elemental). */
export type ContentMessage = Schemas["ContentMessage"];
/** Inline content: `{ title, body }` or `{ version, elements }`. */
export type MessageContent = Schemas["Content"];
/** `message.to`: one recipient or an array of them. */
export type MessageRecipient = Schemas["MessageRecipient"];
/** Any single recipient kind. */
export type Recipient = Schemas["Recipient"];
/** A user, addressed by `user_id`, `email` or `phone_number`. */
export type UserRecipient = Schemas["UserRecipient"];
/** Every subscriber of one list. */
export type ListRecipient = Schemas["ListRecipient"];
/** Every subscriber of the lists matching a pattern such as `teams.*` or `teams.**`. */
export type ListPatternRecipient = Schemas["ListPatternRecipient"];
/** Every member of an audience. */
export type AudienceRecipient = Schemas["AudienceRecipient"];
/** `{ method: "all" | "single", channels }`. */
export type Routing = Schemas["Routing"];
/** The body of `POST /send`. */
export type SendMessageRequest = NonNullable<operations["send"]["requestBody"]>["content"]["application/json"];
/** `{ requestId }`. */
export type SendMessageResponse = Schemas["SendMessageResponse"];
/** A sent message as `GET /messages/{id}` returns it. */
export type MessageDetails = Schemas["MessageDetails"];
/** A message's delivery status (`ENQUEUED`, `SENT`, `DELIVERED`, ...). */
export type MessageStatus = Schemas["MessageStatus"];
/** The response of `GET /profiles/{user_id}`. */
export type ProfileGetResponse = Schemas["ProfileGetResponse"];
/** A JSON Patch operation for `PATCH /profiles/{user_id}`. */
export type UserProfilePatch = Schemas["UserProfilePatch"];
/** A list. */
export type List = Schemas["SubscriptionList"];
/** One subscriber of a list. */
export type ListSubscriptionRecipient = Schemas["ListSubscriptionRecipient"];
/** An audience: a filter over profiles. */
export type Audience = Schemas["Audience"];
/** The message definition of a bulk job. */
export type BulkMessage = Schemas["InboundBulkMessage"];
/** One user added to a bulk job. */
export type BulkUser = Schemas["InboundBulkMessageUser"];
/** A bulk job's status and counters. */
export type BulkJob = Schemas["BulkRetrieveJobResponse"]["job"];
/** The body of `POST /automations/invoke`. */
export type AutomationAdHocInvokeParams = Schemas["AutomationAdHocInvokeParams"];
/** One step of an ad-hoc automation (`send`, `delay`, `cancel`, ...). */
export type AutomationStep = Schemas["AutomationAdHocInvokeParams"]["automation"]["steps"][number];
/** `{ runId }`. */
export type AutomationInvokeResponse = Schemas["AutomationInvokeResponse"];
/** The cursor object of most list responses: `{ cursor, more }`. */
export type Paging = Schemas["Paging"];
/** The API's error body: `{ message, type }`. */
export type ErrorBody = Schemas["BaseError"] & { type?: string };
