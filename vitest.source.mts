/**
 * Tests run against the workspace packages' sources, not their last build: each package's `exports` has
 * a `source` condition (pointing at `src/`), which only these settings and the tsconfig's
 * `customConditions` ask for. Vite's default conditions follow it, so nothing else resolves differently.
 */
export const sourceConditions = {
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
};
