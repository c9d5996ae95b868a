/**
 * Prism validates a request or response only if its schema compiles in Prism's Ajv; when it does not,
 * Prism silently skips validation (that is how upstream's POST /send came to accept any body).
 * This compiles every request and response schema of the merged spec exactly as Prism does and
 * fails when one does not compile, except the documented known cases below.
 *
 * It also builds every answer `prism mock` gives (with or without `--errors`: the first example, else the
 * body Prism's static generator makes from the schema) and fails when one breaks its own schema, e.g. a
 * recursive schema the generator cuts off with `{}`.
 */
const { createRequire } = require("node:module");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const prismCli = createRequire(path.join(root, "package.json")).resolve("@stoplight/prism-cli/package.json");
const prismHttp = createRequire(prismCli).resolve("@stoplight/prism-http");
const requireFromPrism = createRequire(prismHttp);
const { getHttpOperationsFromSpec } = require(prismHttp);
const { generateStatic } = requireFromPrism("./mocker/generator/JSONSchema");
const Ajv = requireFromPrism("ajv").default;
const addFormats = requireFromPrism("ajv-formats").default;

/** Operations whose schema Prism cannot compile for a Prism bug, with the reason (none today). */
const KNOWN = {};

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
  let answers = 0;
  const failures = [];
  const invalidAnswers = [];
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
    for (const r of op.responses ?? []) {
      for (const c of r.contents ?? []) {
        if (c.schema) {
          answers++;
          const problem = mockAnswerProblem(op, c);
          if (problem) {
            invalidAnswers.push([`${id} mock answer ${r.code}`, problem]);
          }
        }
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
  console.log(`prism mock: ${answers - invalidAnswers.length}/${answers} answers valid`);
  for (const [where, message] of invalidAnswers) {
    console.log(`  FAIL  ${where}: ${message}`);
  }
  if (unexpected.length > 0 || invalidAnswers.length > 0) {
    process.exit(1);
  }

  /** What is wrong with the body Prism's mock answers for this response content, or undefined. */
  function mockAnswerProblem(op, content) {
    const example = content.examples?.find((e) => "value" in e);
    let body = example?.value;
    if (!example) {
      const generated = generateStatic(op, { ...content.schema, __bundled__: op.__bundled__ });
      if (generated._tag === "Left") {
        return `cannot generate: ${String(generated.left.message).slice(0, 200)}`;
      }
      body = generated.right;
    }
    let validate;
    try {
      validate = ajv.compile({ ...content.schema, __bundled__: op.__bundled__ });
    } catch {
      return undefined; // reported above as a schema that does not compile
    }
    if (validate(body)) {
      return undefined;
    }
    return validate.errors
      .slice(0, 3)
      .map((e) => `${e.instancePath || "/"} ${e.message}`)
      .join("; ");
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
