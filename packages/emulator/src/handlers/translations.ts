import { notFound } from "../errors.js";
import { route } from "../router.js";
import { slot } from "../store.js";
import { audit } from "./auditEvents.js";

/** Courier supports only the `default` domain; others are 404 on read and write. */
const DOMAIN = "default";

/** locale → `.po` file content, as sent. */
const translations = slot("translations", () => new Map<string, string>());

function assertDomain(domain: string | undefined): void {
  if (domain !== DOMAIN) {
    throw notFound(`Translation domain ${domain} not found: only "${DOMAIN}" is supported`);
  }
}

export const translationRoutes = [
  route("get", "/translations/{domain}/{locale}", ({ params, store }) => {
    assertDomain(params.domain);
    const po = translations(store).get(params.locale ?? "");
    if (po === undefined) {
      throw notFound(`No translations for locale ${params.locale}`);
    }
    return { status: 200, body: po };
  }),

  route("put", "/translations/{domain}/{locale}", ({ params, body, store, now }) => {
    assertDomain(params.domain);
    const locale = params.locale ?? "";
    translations(store).set(locale, body);
    audit(store, now, "translation:updated", `${DOMAIN}/${locale}`);
    return { status: 204, body: undefined };
  }),
];
