export type { FaultKind, FaultOptions } from "./faults.js";
export { ALL_FAULTS } from "./faults.js";
export type { Emulator, EmulatorOptions, EmulatorStats } from "./server.js";
export { startEmulator } from "./server.js";
export type { MessageRecord, Store } from "./store.js";
