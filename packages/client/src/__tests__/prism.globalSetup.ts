import type { TestProject } from "vitest/node";
import { startPrism } from "../../../../scripts/testing/prism.ts";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

/** One Prism mock of the merged spec for the whole client project. */
export default async function setup(project: TestProject) {
  const prism = await startPrism();
  project.provide("prismUrl", prism.url);
  return async () => {
    await prism.close();
  };
}
