/**
 * README command 1 (until the demo exists): starts a local Prism mock of the Courier spec, sends one
 * message through @courier-ts/client and prints the response.
 */
import { createCourierClient, unwrap } from "@courier-ts/client";
import { startPrism } from "./testing/prism.ts";

const prism = await startPrism();
try {
  const courier = createCourierClient({ apiKey: "sample-key", baseUrl: prism.url });
  const body = {
    message: {
      to: { user_id: "user-1", email: "user@example.com" },
      template: "WELCOME",
      data: { name: "Jane Doe" },
    },
  };
  console.log(`POST ${prism.url}/send`);
  console.log(JSON.stringify(body, null, 2));
  const { requestId } = await unwrap(courier.POST("/send", { body }));
  console.log(`-> requestId: ${requestId}`);
} finally {
  await prism.close();
}
