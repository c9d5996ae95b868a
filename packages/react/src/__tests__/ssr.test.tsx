// @vitest-environment node
/** Server rendering: importing the package and rendering a hook touches no browser global. */
import { QueryClient } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { expect, it } from "vitest";

const windowBeforeImport = typeof (globalThis as { window?: unknown }).window;
const { CourierProvider, useProfile, courierKeys } = await import("../index.js");

function Name() {
  const { data, isPending } = useProfile();
  return <p>{isPending ? "loading" : String(data?.name)}</p>;
}

it("renders on the server without window or document", () => {
  expect(windowBeforeImport).toBe("undefined");
  expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
  const queryClient = new QueryClient();
  expect(
    renderToString(
      <CourierProvider queryClient={queryClient}>
        <Name />
      </CourierProvider>,
    ),
  ).toBe("<p>loading</p>");
  queryClient.setQueryData(courierKeys.profile(), { name: "Prefetched" });
  expect(
    renderToString(
      <CourierProvider queryClient={queryClient}>
        <Name />
      </CourierProvider>,
    ),
  ).toBe("<p>Prefetched</p>");
});
