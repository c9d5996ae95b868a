import { automationsOf } from "../automations.js";
import { badRequest } from "../errors.js";
import { page } from "../paging.js";
import { route } from "../router.js";

export const automationTemplateRoutes = [
  // The templates come from the `automations` option and the fixture; one set serves both `published` and `draft`.
  route("get", "/automations", ({ query, store }) => {
    const version = query.get("version") ?? "published";
    if (version !== "published" && version !== "draft") {
      throw badRequest("version must be published or draft");
    }
    const rows = [...automationsOf(store).templates.values()].map(
      (t) => ({ id: t.id, name: t.name, version }) as const,
    );
    const { items, paging } = page(rows, query.get("cursor"));
    return { status: 200, body: { templates: items, ...(paging.cursor ? { cursor: paging.cursor } : {}) } };
  }),
];
