/** Each command's --help, apart from the commands so that `--help` loads none of them. */

export const bulkSendHelp = `Usage: courier-ts bulk send --template ID --users FILE [options]

Sends one template to every user of a CSV or NDJSON file with Courier's bulk API: creates a job, adds
the users in batches, runs the job and waits for it to finish. Progress goes to stderr, a JSON summary
to stdout.

Options:
  --template ID          notification template to send (required unless --event is given)
  --event ID             event or notification id of the job (default: the template)
  --users FILE           .csv (header row) or .ndjson / .jsonl file of users (required)
  --format csv|ndjson    file format, when the extension does not tell
  --data JSON            data merged into every message (each user's data wins)
  --resume FILE          save progress to FILE as it goes; if FILE exists, continue that job
  --dry-run              read and check the file, send nothing
  --strict               refuse to send anything if any row is bad (default: skip bad rows)
  --no-wait              run the job and exit without waiting for it to finish
  --wait-timeout SEC     give up waiting after SEC seconds (default 1800)
  --poll-interval MS     time between job status polls (default 1000)
  --batch-size N         users per request (default 1000)
  --concurrency N        requests in flight (default 4)
  --max-retries N        retries per request (default 10)
  --retry-delay MS       first backoff delay, doubling up to 8 s (default 500)
  --max-failures N       failed users to list in the summary (default 100)
  --base-url URL         API base URL, e.g. an emulator's (default: $COURIER_BASE_URL or Courier)
  -h, --help             show this help

CSV columns: recipient (or user_id); email and phone_number (into the profile); profile.<name>;
data.<name>; any other column goes into data. NDJSON lines are bulk users:
{"recipient": "...", "profile": {...}, "data": {...}, "to": {...}, "preferences": {...}}.

The API key is read from COURIER_API_KEY.

Exit codes: 0 all sent, 1 failed, 2 bad arguments or input (nothing sent), 3 sent but some rows were
rejected or some users failed, 130 interrupted (resume with the same --resume FILE).`;

export const sendHelp = `Usage: courier-ts send --template ID (--user ID | --email ADDRESS | --to JSON) [options]

Sends one message (POST /send) and prints {"requestId": "..."} on stdout.

Options:
  --template ID          notification template to send
  --user ID              recipient user id
  --email ADDRESS        recipient email address
  --to JSON              any recipient, e.g. '{"list_id": "beta"}'
  --data JSON            template data
  --message JSON         the whole message instead (to, template or content, data, ...)
  --idempotency-key KEY  reuse the result of an earlier send with the same key
  --base-url URL         API base URL, e.g. an emulator's (default: $COURIER_BASE_URL or Courier)
  -h, --help             show this help

The API key is read from COURIER_API_KEY. Exit codes: 0 sent, 1 refused or failed, 2 bad arguments.`;

export const emulatorHelp = `Usage: courier-ts emulator [options]

Starts the Courier emulator (a stateful in-memory Courier API) and prints {"url": "..."} on stdout
when it listens. Stops on SIGINT or SIGTERM.

Options:
  --port N               port (default 4010; 0 picks a free one)
  --host HOST            host (default 127.0.0.1)
  --api-key KEY          require this bearer key (default: any non-empty key)
  --step-ms MS           time between message status steps (default 200)
  --body-limit BYTES     largest request body (default 6000000, Courier's 6 MB cap)
  --fault-rate R         share of requests that get an injected fault, 0..1
  --fault-seed N         seed of the fault sequence (default 1)
  -h, --help             show this help`;
