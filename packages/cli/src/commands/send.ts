import { createCourierClient, isCourierError, unwrap } from "@courier-ts/client";
import { json, parse } from "../args.js";
import { EXIT, UsageError } from "../exitCodes.js";
import { sendHelp } from "../help.js";

const options = {
  template: { type: "string" },
  user: { type: "string" },
  email: { type: "string" },
  to: { type: "string" },
  data: { type: "string" },
  message: { type: "string" },
  "idempotency-key": { type: "string" },
  "base-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export async function send(args: string[]): Promise<number> {
  const values = parse(args, options);
  if (values.help) {
    process.stdout.write(`${sendHelp}\n`);
    return EXIT.ok;
  }
  let message = json("message", values.message);
  if (!message) {
    const to =
      json("to", values.to) ??
      (values.user ? { user_id: values.user } : values.email ? { email: values.email } : undefined);
    if (!to || !values.template) {
      throw new UsageError("--template and one of --user, --email or --to are required (or --message)");
    }
    const data = json("data", values.data);
    message = { to, template: values.template, ...(data ? { data } : {}) };
  }
  let client: ReturnType<typeof createCourierClient>;
  try {
    client = createCourierClient({ baseUrl: values["base-url"] });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  try {
    const { requestId } = await unwrap(
      client.POST("/send", {
        // The API validates the message; the command passes it through as given.
        body: { message } as never,
        ...(values["idempotency-key"] ? { idempotencyKey: values["idempotency-key"] } : {}),
      }),
    );
    process.stdout.write(`${JSON.stringify({ requestId })}\n`);
    return EXIT.ok;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    if (isCourierError(error)) {
      process.stdout.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
    }
    return EXIT.failed;
  }
}
