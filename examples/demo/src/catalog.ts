/**
 * The demo app's notification catalog, shared by its server and its pages: readable names for its
 * templates, the lists users can join, and the preference page it sets up in the emulator (sections,
 * topics, which templates each covers).
 */

export const TEMPLATES = {
  WELCOME: "Welcome to Acme",
  ORDER_SHIPPED: "Your order has shipped",
  PASSWORD_CHANGED: "Your password was changed",
  WEEKLY_DIGEST: "Your weekly digest",
} as const;
export type TemplateId = keyof typeof TEMPLATES;

export const LISTS = {
  "product-updates": { name: "Product updates", description: "New features, about once a month." },
  "weekly-digest": { name: "Weekly digest", description: "The week's highlights, every Monday." },
  incidents: { name: "Status and incidents", description: "When something is down, and when it is back." },
} as const;

type Status = "OPTED_IN" | "OPTED_OUT" | "REQUIRED";
type Channel = "email" | "sms" | "push" | "inbox";

/** The preference page: sections of topics, each with the templates it covers. */
export const PREFERENCE_PAGE: Array<{
  id: string;
  name: string;
  channels: Channel[];
  topics: Array<{ id: string; name: string; description: string; status: Status; templates: TemplateId[] }>;
}> = [
  {
    id: "account",
    name: "Account and security",
    channels: ["email", "sms"],
    topics: [
      {
        id: "security-alerts",
        name: "Security alerts",
        description: "Sign-ins from new devices and password changes. Always on.",
        status: "REQUIRED",
        templates: ["PASSWORD_CHANGED"],
      },
      {
        id: "account-updates",
        name: "Account updates",
        description: "Welcome messages and changes to your plan.",
        status: "OPTED_IN",
        templates: ["WELCOME"],
      },
    ],
  },
  {
    id: "orders",
    name: "Orders",
    channels: ["email", "sms", "push"],
    topics: [
      {
        id: "shipping-updates",
        name: "Shipping updates",
        description: "When an order ships and when it is delivered.",
        status: "OPTED_IN",
        templates: ["ORDER_SHIPPED"],
      },
    ],
  },
  {
    id: "news",
    name: "News and tips",
    channels: ["email", "inbox"],
    topics: [
      {
        id: "weekly-digest",
        name: "Weekly digest",
        description: "A summary of your week, every Monday.",
        status: "OPTED_OUT",
        templates: ["WEEKLY_DIGEST"],
      },
      {
        id: "tips",
        name: "Tips and tricks",
        description: "Short how-tos to get more out of Acme.",
        status: "OPTED_OUT",
        templates: [],
      },
    ],
  },
];
