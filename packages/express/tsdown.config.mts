import { defineConfig } from "tsdown";

export default defineConfig({
  // `syncThread` is the script of the profile sync thread (`courierProfileSync({ thread })`), not an export.
  entry: { index: "src/index.ts", redis: "src/redis.ts", syncThread: "src/syncThread.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  fixedExtension: true,
  target: "node20",
  external: ["express", "redis", "ioredis"],
});
