import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { BulkCheckpoint } from "@courier-ts/client/bulk";

/** What `--resume FILE` holds: the checkpoint, and what it is a checkpoint of. */
export interface ResumeState extends BulkCheckpoint {
  template: string;
  /** The users file, as an absolute path. */
  users: string;
  /** Batch boundaries depend on it: a resumed run must cut the same batches to reuse their idempotency keys. */
  batchSize: number;
}

/** The saved state, or undefined when the file does not exist yet. */
export function readResumeFile(path: string): ResumeState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return undefined;
    }
    throw error;
  }
  const state = JSON.parse(text) as Partial<ResumeState>;
  if (
    typeof state.jobId !== "string" ||
    !Number.isInteger(state.usersAdded) ||
    (state.usersAdded ?? -1) < 0 ||
    typeof state.template !== "string" ||
    typeof state.users !== "string" ||
    !Number.isInteger(state.batchSize)
  ) {
    throw new Error(`${path} is not a courier-ts resume file`);
  }
  return state as ResumeState;
}

/** Writes the state to a temporary file and renames it over the old one, so a crash never leaves half a file. */
export function writeResumeFile(path: string, state: ResumeState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state)}\n`);
  renameSync(temporary, path);
}
