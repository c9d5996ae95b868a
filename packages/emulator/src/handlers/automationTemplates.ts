import { badRequest } from "../errors.js";
import { page } from "../paging.js";
import { route } from "../router.js";

export const automationTemplateRoutes = [
  // The templates are the emulator's `automations` option; one set serves both `published` and `draft`.
  route("get", "/automations", ({ query, env }) => {
    const version = query.get("version") ?? "published";
    if (version !== "published" && version !== "draft") {
      throw badRequest("version must be published or draft");
    }
    const rows = Object.keys(env.automations).map((id) => ({ id, name: id, version }) as const);
    const { items, paging } = page(rows, query.get("cursor"));
    return { status: 200, body: { templates: items, ...(paging.cursor ? { cursor: paging.cursor } : {}) } };
  }),
];
