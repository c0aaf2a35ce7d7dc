import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Argv } from "yargs";
import { ConfigError } from "../errors.js";
import type { RawArgs } from "../config/args.js";
import {
  JUDGE_OPTIONS,
  PROFILE_OPTIONS,
  SAMPLE_DATA_OPTIONS,
  SCHEMAS_OPTIONS,
  STREAM_OPTIONS,
  VERIFY_OPTIONS,
  argsOf,
  defaultOf,
} from "../config/optionTable.js";
import type { VerifyArgs } from "../app/verifyConfig.js";
import { STREAM_GENERATION } from "../app/resume.js";
import type { JudgeArgs } from "../app/judgeRun.js";

export type Parsed =
  | { command: "stream"; args: RawArgs }
  | { command: "sample-data"; stores: string; products: string; seed: string; out: string; force: boolean }
  | {
      command: "schemas";
      format: string;
      write: boolean;
      brokers?: string;
      topicPrefix?: string;
      watermark: string;
      bounded: boolean;
      valueFormat: string;
      schemaRegistry?: string;
      schemaVersion: number;
    }
  | { command: "list-scenarios" }
  | { command: "profile"; args: RawArgs; out: string }
  | { command: "verify"; args: VerifyArgs }
  | { command: "judge"; args: JudgeArgs }
  | { command: "done" };

// yargs through its CommonJS entry: its ESM build wraps help at a fixed width, mid-word; the CommonJS one wraps at words.
const yargs = createRequire(import.meta.url)("yargs") as typeof import("yargs").default;

/** Examples as the help prints them: what each does, then the command on a line of its own (to copy whole). */
function examples(lines: ReadonlyArray<readonly [string, string]>): string {
  return ["Examples:", ...lines.flatMap(([what, command]) => [`  ${what}:`, `    retail-stream ${command}`])].join(
    "\n",
  );
}

const STREAM_EXAMPLES = examples([
  ["Stream into the local broker, one event every 10–60 s", "--continuous"],
  ["1000 events at once, as JSON lines", "--sink stdout --count 1000 --min-delta 0 --max-delta 0 --seed 1"],
  ["Backfill January into Kafka", "--from 2026-01-01T00:00:00Z --to 2026-01-31T00:00:00Z --seed 7"],
  ["An hour of sales and visits a minute", "--speed 60 --weights sales=80,customer=20"],
]);

/**
 * A table's declarations for yargs. Text flags are parsed as text (so messages quote what was typed);
 * for the help, the numeric ones say [number].
 */
function declared<T extends Record<string, object>>(table: T, help: boolean): T {
  if (!help) return table;
  return Object.fromEntries(
    Object.entries(table).map(([flag, spec]) => [flag, "range" in spec ? { ...spec, type: "number" } : spec]),
  ) as T;
}

function streamOptions(y: Argv, help: boolean): Argv {
  return y.options(declared(STREAM_OPTIONS, help));
}

function verifyOptions(y: Argv, help: boolean): Argv {
  return y
    .options(declared(VERIFY_OPTIONS, help))
    .epilogue(
      examples([
        ["Check what a run wrote, read from the beginning with read_committed", "verify --topic sales=my-sales"],
      ]),
    );
}

/** Each command's options, by the name its RETAIL_STREAM_* variable spells. */
const COMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  stream: [...Object.keys(STREAM_OPTIONS), "list-scenarios"],
  profile: Object.keys(PROFILE_OPTIONS),
  verify: Object.keys(VERIFY_OPTIONS),
  judge: Object.keys(JUDGE_OPTIONS),
  "sample-data": Object.keys(SAMPLE_DATA_OPTIONS),
  schemas: Object.keys(SCHEMAS_OPTIONS),
};

const variableOf = (option: string): string => `RETAIL_STREAM_${option.replace(/-/g, "_").toUpperCase()}`;

/**
 * The RETAIL_STREAM_* variables that set another command's options and none of this one's: one environment
 * serves a run and its verify, so these are passed over (a name no command has is still refused).
 */
function othersVariables(argv: readonly string[], env: Record<string, string | undefined>): string[] {
  const command = argv.find((word) => !word.startsWith("-"));
  const own = new Set(COMMAND_OPTIONS[command !== undefined && command in COMMAND_OPTIONS ? command : "stream"]);
  const others = new Set(
    Object.values(COMMAND_OPTIONS)
      .flat()
      .filter((option) => !own.has(option)),
  );
  return [...others].map(variableOf).filter((variable) => env[variable] !== undefined);
}

/** The package's version and the stream generation it makes, for `--version`. */
const VERSION = `${
  (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version
} (stream generation ${STREAM_GENERATION})`;

/** yargs' wording of a refused choice, as this tool says it: `--sink: "file" is not one of kafka, stdout`. */
function inOurWords(message: string): string {
  const choice = /^Invalid values:\s*Argument: ([\w-]+), Given: (.*), Choices: (.*)$/.exec(message);
  if (choice === null) return message;
  const flag = (choice[1] as string).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag}: ${choice[2]} is not one of ${(choice[3] as string).replace(/"/g, "")}`;
}

/** Names the environment variable behind an unknown option that came from `RETAIL_STREAM_*`. */
function fromEnvironment(message: string, env: Record<string, string | undefined>): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown === null) return message;
  const names = (unknown[1] as string).split(", ").map((name) => {
    const variable = `RETAIL_STREAM_${name
      .replace(/([a-z])([A-Z])/g, "$1_$2")
      .replace(/-/g, "_")
      .toUpperCase()}`;
    return env[variable] === undefined ? name : `${name} (from the environment variable ${variable})`;
  });
  return `Unknown argument${names.length > 1 ? "s" : ""}: ${names.join(", ")}`;
}

/** Every switch of every command (yargs reads any text after `--switch=` as false: these are checked first). */
const SWITCHES = [
  ...new Set(
    [
      STREAM_OPTIONS,
      VERIFY_OPTIONS,
      SAMPLE_DATA_OPTIONS,
      SCHEMAS_OPTIONS,
      { "list-scenarios": { type: "boolean" } },
    ].flatMap((table) =>
      Object.entries(table as Record<string, { type: string }>)
        .filter(([, spec]) => spec.type === "boolean")
        .map(([flag]) => flag),
    ),
  ),
];

const BOOLEAN = /^(true|false)$/i;

/**
 * A switch's text, from `--switch=TEXT` or its RETAIL_STREAM_* variable, must be true or false (any case);
 * anything else is a problem naming where it came from. Returns the command line with those texts in lower case.
 */
function checkedSwitches(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): { argv: string[]; env: Array<[string, string]> } {
  const problems: string[] = [];
  // A value that starts with "-" and a digit (`--watermark -5s`) is the flag's value, not flags of its own.
  const joined = argv.reduce<string[]>((words, word) => {
    const flag = /^--([\w-]+)$/.exec(words.at(-1) ?? "")?.[1];
    if (flag !== undefined && !SWITCHES.includes(flag) && /^-\d/.test(word))
      words.push(`${words.pop() as string}=${word}`);
    else words.push(word);
    return words;
  }, []);
  const words = joined.map((word) => {
    const match = /^--(?:no-)?([\w-]+)=(.*)$/s.exec(word);
    if (match === null || !SWITCHES.includes(match[1] as string)) return word;
    if (!BOOLEAN.test(match[2] as string)) problems.push(`--${match[1]}: "${match[2]}" is not true or false`);
    return word.toLowerCase();
  });
  const variables: Array<[string, string]> = [];
  for (const flag of SWITCHES) {
    const variable = variableOf(flag);
    const value = env[variable];
    if (value === undefined) continue;
    if (!BOOLEAN.test(value.trim())) problems.push(`${variable}: "${value}" is not true or false`);
    else variables.push([variable, value.trim().toLowerCase()]);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { argv: words, env: variables };
}

/** Parses the command line; bad input is a `ConfigError`, `--help` prints and returns "done". */
export async function parseCommandLine(
  given: string[],
  print: (text: string) => void,
  env: Record<string, string | undefined>,
): Promise<Parsed> {
  let parsed: Parsed = { command: "done" };
  const switches = checkedSwitches(given, env);
  const argv = switches.argv;
  const help = argv.includes("--help") || argv.includes("-h");
  const cli = yargs(argv)
    .scriptName("retail-stream")
    .usage("$0 [options]\n\nRealistically paced retail events for Apache Kafka.")
    .command(
      "$0",
      "Stream retail events (the default)",
      (y) => streamOptions(y, help),
      (a) => {
        parsed =
          a.listScenarios === true
            ? { command: "list-scenarios" }
            : { command: "stream", args: argsOf(STREAM_OPTIONS, a) };
      },
    )
    .command(
      "profile",
      "Chart a scenario's events per hour by type (SVG) before pointing it at Kafka",
      (y) => y.options(declared(PROFILE_OPTIONS, help)),
      (a) => {
        parsed = {
          command: "profile",
          args: argsOf(PROFILE_OPTIONS, a),
          out: typeof a.out === "string" ? a.out : defaultOf(PROFILE_OPTIONS, "out"),
        };
      },
    )
    .command(
      "verify",
      "Read a run's topics back and check them: schemas, unique ids, one decrement per sale, the ledger, restocks, prices and the ground truth; exit 0 or 1",
      (y) => verifyOptions(y, help),
      (a) => {
        parsed = { command: "verify", args: argsOf(VERIFY_OPTIONS, a) };
      },
    )
    .command(
      "judge",
      "Check a pipeline's output (a topic, a table or query, a file) against the run it was fed: its truth, or its records under the pipeline's watermark, lateness and deduplication; exit 0 or 1",
      (y) =>
        y.options(declared(JUDGE_OPTIONS, help)).epilogue(
          examples([
            ["Print a mapping to start from", "judge --example revenue > revenue.json"],
            [
              "Judge a job's hourly revenue per store against the run's truth",
              "judge --mapping revenue.json --output-topic revenue-per-hour --truth run.truth.jsonl",
            ],
            [
              "Judge it as a job with a 5-minute watermark that drops later records and removes duplicates",
              "judge --mapping revenue.json --output-topic revenue-per-hour --input run.jsonl --watermark-delay 5m --duplicates remove",
            ],
          ]),
        ),
      (a) => {
        parsed = { command: "judge", args: argsOf(JUDGE_OPTIONS, a) };
      },
    )
    .command(
      "sample-data",
      "Write a seeded sample chain (stores.json, products.json)",
      (y) => y.options(SAMPLE_DATA_OPTIONS),
      (a) => {
        parsed = {
          command: "sample-data",
          stores: a.stores,
          products: a.products,
          seed: a.seed,
          out: a.out,
          force: a.force,
        };
      },
    )
    .command(
      "schemas",
      "Print the schemas of every event type: JSON Schema (the source), or the Avro and Protobuf ones generated from it",
      (y) => y.options(SCHEMAS_OPTIONS),
      (a) => {
        parsed = {
          command: "schemas",
          format: a.format,
          write: a.write,
          brokers: a.brokers,
          topicPrefix: a.topicPrefix,
          watermark: a.watermark,
          bounded: a.bounded,
          valueFormat: a.valueFormat,
          schemaRegistry: a.schemaRegistry,
          schemaVersion: Number(a.schemaVersion),
        };
      },
    )
    .env("RETAIL_STREAM")
    .epilogue(
      STREAM_EXAMPLES +
        "\n\nEvery option can also be set in the environment as RETAIL_STREAM_<OPTION> (e.g. RETAIL_STREAM_MIN_DELTA=5, RETAIL_STREAM_SINK=stdout); a flag on the command line wins. KAFKA_BOOTSTRAP_SERVERS sets the brokers when --brokers is not given.",
    )
    .strict()
    .help()
    .alias("h", "help")
    .version(VERSION)
    // To the terminal (a pipe or `make docs`: COLUMNS, else 100), never mid-word.
    .wrap(Math.max(60, Number(env.COLUMNS) || process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw new ConfigError([
        fromEnvironment(inOurWords((message ?? error?.message ?? "bad command line").replace(/\s*\n\s*/g, " ")), env),
      ]);
    });
  // yargs reads the environment itself: another command's variables are out of its sight while it parses.
  const hidden = othersVariables(argv, env).map((variable) => [variable, process.env[variable]] as const);
  for (const [variable] of hidden) delete process.env[variable];
  const switched = switches.env.map(([variable]) => [variable, process.env[variable]] as const);
  for (const [variable, value] of switches.env) process.env[variable] = value;
  try {
    await cli.parseAsync(argv, {}, (_error, _argv, output) => {
      if (output) print(output);
    });
  } finally {
    for (const [variable, value] of [...hidden, ...switched]) if (value !== undefined) process.env[variable] = value;
  }
  return parsed;
}
