export { EXIT } from "./exitCodes.js";
export type { ResumeState } from "./resumeFile.js";
export { run } from "./run.js";
export type { ReadUserFileOptions, UserFileFormat, UserRow } from "./users.js";
export { readUserFile, userFromCsv, userProblem } from "./users.js";
