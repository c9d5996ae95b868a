import { EXIT, UsageError } from "./exitCodes.js";
import { bulkSendHelp, emulatorHelp, sendHelp } from "./help.js";

const help = `Usage: courier-ts <command> [options]

Commands:
  bulk send    send a template to every user of a CSV or NDJSON file (resumable, with progress)
  send         send one message
  emulator     start the Courier emulator

Run "courier-ts <command> --help" for a command's options. The API key is read from COURIER_API_KEY.`;

// Each command is loaded when it runs: a bulk send does not load the emulator, nor a send the CSV parser.
const commands: Record<string, { load: () => Promise<(args: string[]) => Promise<number>>; help: string }> = {
  "bulk send": { load: () => import("./commands/bulkSend.js").then((m) => m.bulkSend), help: bulkSendHelp },
  send: { load: () => import("./commands/send.js").then((m) => m.send), help: sendHelp },
  emulator: { load: () => import("./commands/emulator.js").then((m) => m.emulator), help: emulatorHelp },
};

/**
 * Runs the command line with `argv` (without `node` and the script) and resolves to the exit code.
 * Results go to stdout, progress and errors to stderr.
 *
 * @example
 * ```ts
 * process.exitCode = await run(["bulk", "send", "--template", "WELCOME", "--users", "users.csv"]);
 * ```
 */
export async function run(argv: string[]): Promise<number> {
  const [first, second] = argv;
  const name = first === "bulk" && second !== undefined && !second.startsWith("-") ? `bulk ${second}` : first;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      process.stdout.write(`${help}\n`);
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === "bulk") {
      const asked = second === "--help" || second === "-h";
      (asked ? process.stdout : process.stderr).write(`${bulkSendHelp}\n`);
      return asked ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`Unknown command "${name}"\n\n${help}\n`);
    return EXIT.usage;
  }
  const args = argv.slice(name?.includes(" ") ? 2 : 1);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  try {
    return await (await command.load())(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nRun "courier-ts ${name} --help" for usage.\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
