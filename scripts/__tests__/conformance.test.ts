/**
 * The official @trycourier/courier client's requests, built from its own type declarations,
 * are all accepted by a Prism mock of our merged spec (`--errors`), and its responses are valid.
 */
import { expect, it } from "vitest";
import { runConformance } from "../conformance/run.ts";

it("accepts every official-client call, required-only and with every parameter", async () => {
  const result = await runConformance();
  console.info(
    `official client conformance: ${result.passed} / ${result.total} calls accepted (${result.methods} methods x 2)`,
  );
  for (const failure of result.failures) {
    console.info(`  FAIL ${failure.method} [${failure.mode}] ${failure.status}: ${failure.problems.join(" | ")}`);
  }
  expect(result.methods).toBeGreaterThanOrEqual(100);
  expect(result.failures).toEqual([]);
}, 300_000);
