/**
 * Prism validates a request or response only if its schema compiles in Prism's Ajv; when it does not,
 * Prism silently skips validation (that is how upstream's POST /send came to accept any body).
 * This compiles every request and response schema of the merged spec exactly as Prism does and
 * fails when one does not compile, except the documented known cases below.
 */
const { createRequire } = require("node:module");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const prismCli = createRequire(path.join(root, "package.json")).resolve("@stoplight/prism-cli/package.json");
const prismHttp = createRequire(prismCli).resolve("@stoplight/prism-http");
const requireFromPrism = createRequire(prismHttp);
const { getHttpOperationsFromSpec } = require(prismHttp);
const Ajv = requireFromPrism("ajv").default;
const addFormats = requireFromPrism("ajv-formats").default;

/** Operations whose schema Prism cannot compile for a Prism bug, with the reason. */
const KNOWN = {
  "PUT /tenants/{tenant_id}/templates/{template_id} request":
    "Prism's bundler mangles the recursive MessageRouting reached through TenantTemplateInput (a `$ref` ends up as a property name); the schema itself is valid.",
};

async function main() {
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    allowMatchingProperties: true,
    strict: false,
    logger: false,
  });
  addFormats(ajv);
  const ops = await getHttpOperationsFromSpec(path.join(root, "spec/generated/courier.merged.yml"));
  let total = 0;
  const failures = [];
  for (const op of ops) {
    const id = `${op.method.toUpperCase()} ${op.path}`;
    const schemas = (op.request?.body?.contents ?? []).map((c) => [`${id} request`, c.schema]);
    for (const r of op.responses ?? []) {
      for (const c of r.contents ?? []) {
        schemas.push([`${id} response ${r.code}`, c.schema]);
      }
    }
    for (const [where, schema] of schemas) {
      if (!schema) {
        continue;
      }
      total++;
      try {
        ajv.compile({ ...schema, __bundled__: op.__bundled__ });
      } catch (error) {
        failures.push([where, String(error.message).slice(0, 200)]);
      }
    }
  }
  const unexpected = failures.filter(([where]) => !(where in KNOWN));
  console.log(
    `prism validator: ${total - failures.length}/${total} schemas compile (${failures.length - unexpected.length} known exceptions)`,
  );
  for (const [where, message] of failures) {
    console.log(`  ${where in KNOWN ? "known" : "FAIL "} ${where}: ${message}`);
  }
  if (unexpected.length > 0) {
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
