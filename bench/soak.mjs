// `make soak`: the broker frozen (SIGSTOP) and thawed again and again under full-speed runs, to prove a stall
// never leaves a run hung or loses a record. Not part of CI: about an hour for the default 60 stalls.
// Each stall has its own length (5–45 s) and moment: while the run connects and creates its topics, at full
// speed, or while it flushes at the end. A run whose counts stay still 60 s after the thaw counts as hung: its threads'
// stacks (gdb), its sockets (ss) and the end of its log (librdkafka's broker, protocol and topic debug
// contexts) are kept in .soak/. Environment: SOAK_STALLS (default 60), SOAK_EVENTS (default 250000),
// SOAK_DEBUG (librdkafka debug contexts, default broker,protocol,topic), SOAK_MOMENTS (default all three).
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = `${ROOT}bin/retail-stream`;
const OUT = `${ROOT}.soak`;
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
const BROKERS = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const STALLS = Number(process.env.SOAK_STALLS ?? 60);
const EVENTS = Number(process.env.SOAK_EVENTS ?? 250_000);
const DEBUG = process.env.SOAK_DEBUG ?? "broker,protocol,topic";
// A run whose counts stay still this long after the thaw is hung (one still delivering is slow, not hung:
// librdkafka's protocol debug can slow a run to a few thousand records a second), and any run still there
// this long after it is hung too.
const STILL_MS = 60_000;
const HUNG_AFTER_MS = 900_000;
// SOAK_MOMENTS=start (a comma list) soaks only those moments.
const MOMENTS = (process.env.SOAK_MOMENTS ?? "start,full speed,flush").split(",");

const line = (text = "") => process.stdout.write(text + "\n");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The broker `make kafka-up` runs (KAFKA_HOME, as its scripts take it, for another one).
const KAFKA_HOME = process.env.KAFKA_HOME ?? `${ROOT}.kafka`;
const broker = () => {
  const pid = Number(readFileSync(`${KAFKA_HOME}/broker.pid`, "utf8"));
  try {
    process.kill(pid, 0);
  } catch {
    throw new Error(`soak: the broker (pid ${pid}, ${KAFKA_HOME}) is not running; its log says why`);
  }
  return pid;
};

/** Stall `i`'s length (5–45 s, spread by a step coprime to 41) and moment (cycling). */
const stallOf = (i) => ({ seconds: 5 + ((i * 17) % 41), moment: MOMENTS[i % MOMENTS.length] });

/** A stall's own topics (and their reference topics, by a prefix of their own). */
function topicsOf() {
  const run = `soak-${randomUUID().slice(0, 8)}`;
  const names = ["sales", "inventory", "price", "customer", "restock"].map((t) => [t, `${run}-${t}`]);
  return {
    args: [...names.flatMap(([t, name]) => ["--topic", `${t}=${name}`]), "--topic-prefix", `${run}.`],
    names: [...names.map(([, name]) => name), `${run}.retail-stores`, `${run}.retail-products`],
  };
}

/**
 * Deletes a stall's topics once it is counted: a million records a stall, kept, would fill the broker's disk and
 * its open files (the broker of an earlier soak stopped at 2,200 partitions: "Too many open files").
 */
async function deleteTopics(names) {
  const { default: Kafka } = await import("node-rdkafka");
  const admin = Kafka.AdminClient.create({ "bootstrap.servers": BROKERS });
  try {
    for (const topic of names)
      await new Promise((resolve) => admin.deleteTopic(topic, 30_000, () => resolve(undefined)));
  } finally {
    admin.disconnect();
  }
}

/**
 * The last `bytes` of a log, in its chunks: joined only when read, so a run's heavy debug output costs
 * the soak no more than keeping it (joining 2 MB per chunk slowed the soak itself).
 */
function tail(bytes) {
  const chunks = [];
  let size = 0;
  return {
    add(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      while (chunks.length > 1 && size - chunks[0].length >= bytes) size -= chunks.shift().length;
    },
    get text() {
      return chunks.join("");
    },
    /** The last stats line's counts (and whether the run is flushing): what changes while a run makes progress. */
    counts() {
      for (let i = chunks.length - 1; i >= 0; i -= 1) {
        const found = [...chunks[i].matchAll(/(stats: [^\n]*delivered \d+, failed \d+|flushing: \d+)/g)];
        if (found.length > 0) return found.at(-1)[0].replace(/^stats: [\d.]+ events\/s, /, "");
      }
      return "";
    },
  };
}

/** Resolves "hung" once the run's counts (its stats lines, its flushing line) stay still for STILL_MS, or HUNG_AFTER_MS pass. */
async function stuck(log, exited) {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = performance.now() + HUNG_AFTER_MS;
  let seen = "";
  let since = performance.now();
  while (!done && performance.now() < deadline) {
    await sleep(1000);
    const counts = log.counts();
    if (counts !== seen) [seen, since] = [counts, performance.now()];
    else if (performance.now() - since > STILL_MS) return "hung";
  }
  return done ? new Promise(() => undefined) : "hung";
}

/** Waits until `test` holds of the log so far, or `ms` pass; whether it held. */
async function waitFor(log, test, ms) {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (test(log.text)) return true;
    await sleep(100);
  }
  return false;
}

/** What a hung run is doing: its threads' stacks, its sockets, the end of its log. */
function evidence(pid, file, log) {
  const gdb = spawnSync("gdb", ["-p", String(pid), "-batch", "-ex", "thread apply all bt"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const ss = spawnSync("ss", ["-tnp"], { encoding: "utf8" });
  writeFileSync(
    file,
    [
      `# gdb thread apply all bt (pid ${pid})`,
      gdb.stdout,
      gdb.stderr,
      "# ss -tnp",
      (ss.stdout ?? "")
        .split("\n")
        .filter((l) => l.includes(`pid=${pid},`))
        .join("\n"),
      "# the log's last 3000 lines",
      log.text.split("\n").slice(-3000).join("\n"),
    ].join("\n"),
  );
}

async function stall(i) {
  const { seconds, moment } = stallOf(i);
  const topics = topicsOf();
  // The flush moment: a short run that never holds (1 GiB in flight) makes its last records while the broker is frozen,
  // so its flush begins and waits within the stall.
  // A backfill (its events logged at debug, so the log holds librdkafka's lines and the stats): a span of days
  // whose gaps (10–60 s) make about the events asked for.
  const days = Math.max(1, Math.round(((moment === "flush" ? EVENTS / 5 : EVENTS) * 35) / 86_400));
  const span = ["--from", "2026-01-01T00:00:00Z", "--to", new Date(Date.UTC(2026, 0, 1 + days)).toISOString()];
  const extra = [
    ...(moment === "flush"
      ? [
          "--max-in-flight-mb",
          "1024",
          "-X",
          "queue.buffering.max.messages=2000000",
          "-X",
          "queue.buffering.max.kbytes=2000000",
        ]
      : []),
    "--topic-config",
    "retention.ms=-1",
  ];
  const file = `${OUT}/stall-${String(i).padStart(3, "0")}.log`;
  const out = createWriteStream(file);
  const child = spawn(
    BIN,
    [
      "--sink",
      "kafka",
      "--brokers",
      BROKERS,
      "--log-level",
      "info",
      "-X",
      `debug=${DEBUG}`,
      ...span,
      "--seed",
      String(i),
      "--flush-timeout",
      "120",
      "--connect-timeout",
      "60",
      "--stats-interval",
      "1",
      ...extra,
      ...topics.args,
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: ENV },
  );
  const log = tail(2_000_000);
  // The whole log to its file; its last 2 MB kept in memory to look for moments in.
  child.stderr.on("data", (d) => {
    out.write(d);
    log.add(d.toString());
  });
  const exited = new Promise((resolve) => child.on("close", (status) => resolve(status)));
  const started = performance.now();
  if (moment === "start") await sleep(300 + ((i * 37) % 500));
  else if (moment === "full speed") await sleep(1500);
  else await waitFor(log, (text) => /stats: .*produced [1-9]/.test(text), 60_000);
  const pid = broker();
  const at = ((performance.now() - started) / 1000).toFixed(1);
  process.kill(pid, "SIGSTOP");
  await sleep(seconds * 1000);
  process.kill(pid, "SIGCONT");
  const thawed = performance.now();
  const status = await Promise.race([exited, stuck(log, exited)]);
  let hung = false;
  if (status === "hung") {
    hung = true;
    evidence(child.pid, `${OUT}/stall-${String(i).padStart(3, "0")}.hang.txt`, log);
    child.kill("SIGINT");
    await exited;
  }
  out.end();
  const summary = /summary: .*produced (\d+), delivered (\d+), failed (\d+)/.exec(log.text);
  const [produced, delivered, failed] = summary === null ? [NaN, NaN, NaN] : summary.slice(1).map(Number);
  const recovered = ((performance.now() - thawed) / 1000).toFixed(1);
  if (!hung && failed === 0 && status === 0) rmSync(file);
  await deleteTopics(topics.names);
  return { i, seconds, moment, at, status, hung, produced, delivered, failed, recovered };
}

mkdirSync(OUT, { recursive: true });
line(
  `# Soak: ${STALLS} broker stalls of 5–45 s (moments: ${MOMENTS.join(", ")}), backfills of about ${EVENTS} primary events (a fifth for the flush), librdkafka debug ${DEBUG}`,
);
line("stall | moment | frozen at s | frozen for s | exit | produced | delivered | failed | done s after thaw");
const results = [];
for (let i = 1; i <= STALLS; i += 1) {
  const r = await stall(i);
  results.push(r);
  line(
    `${r.i} | ${r.moment} | ${r.at} | ${r.seconds} | ${r.hung ? "HUNG" : r.status} | ${r.produced} | ${r.delivered} | ${r.failed} | ${r.recovered}`,
  );
}
const hung = results.filter((r) => r.hung).length;
const failedRuns = results.filter((r) => r.failed !== 0 || r.status !== 0).length;
const records = results.reduce((n, r) => n + (r.failed || 0), 0);
line(
  `\n${STALLS} stalls: ${hung} hung, ${failedRuns} runs not clean (exit ≠ 0 or a failed record), ${records} records failed; recovery after the thaw ${Math.min(...results.map((r) => +r.recovered))}–${Math.max(...results.map((r) => +r.recovered))} s`,
);
process.exitCode = hung > 0 || failedRuns > 0 ? 1 : 0;
