// `make bench`: throughput against Kafka's own ProducerPerformance, memory, pacing
// fidelity and backfill speed. Prints figures; asserts nothing (targets are in the README).
// Environment: BENCH_EVENTS (default 500000), BENCH_PACING (default 10000), BENCH_SKIP (comma list of sections:
// throughput, stall, formats, transactions, backfill, database, making, pacing), SCHEMA_REGISTRY_URL (default the local registry),
// POSTGRES_URL (default the local PostgreSQL's server, make postgres-up).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { cpus, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import { pacingFidelity, bareTimers } from "./pacing.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = `${ROOT}bin/retail-stream`;
/** The command runs as a user runs it (its #! line sets node's flags), on this node. */
const AS_USER = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
const BROKERS = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const EVENTS = Number(process.env.BENCH_EVENTS ?? 500_000);
const PACING = Number(process.env.BENCH_PACING ?? 10_000);
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(","));

const line = (text = "") => process.stdout.write(text + "\n");
const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A run at full speed (zero gaps) of `count` primary events from `seed`. */
const fullSpeed = (count, seed = 1) => [
  "--count",
  String(count),
  "--min-delta",
  "0",
  "--max-delta",
  "0",
  "--seed",
  String(seed),
];

function topicArgs(tag) {
  const run = `bench-${tag}-${randomUUID().slice(0, 6)}`;
  // Every type its own topic: a format's schemas registered under another format's subjects would be refused.
  return ["sales", "inventory", "price", "customer", "restock", "payment", "order_status", "return"].flatMap((t) => [
    "--topic",
    `${t}=${run}-${t}`,
  ]);
}

/**
 * CPU seconds (user + system) a command's process spent, librdkafka's or the JVM's threads included:
 * the command runs under bash, whose `times` prints its children's totals on stderr after it ends.
 */
const CPU_WRAPPER = ["-c", '"$@"; status=$?; times >&2; exit $status', "bash"];
function cpuOf(stderr) {
  const rows = stderr.trimEnd().split("\n").slice(-1)[0];
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(rows ?? "");
  if (!m) throw new Error(`no CPU times in:\n${stderr.slice(-500)}`);
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}
/** CPU seconds per 100,000 records. */
const per100k = (cpu, records) => (cpu / records) * 100_000;
/** CPU seconds per 100,000 records of a run beyond what a short run of the same command spent (its start, mostly). */
const steadyPer100k = (run, short) => per100k(run.cpu - short.cpu, run.delivered - short.delivered);

/** The summary line's figures of a finished run (which must have exited 0). */
function summaryOf(args, status, stderr) {
  const m =
    /summary: (\d+) primary .*produced (\d+), delivered (\d+), failed (\d+); peak in flight (\d+), peak RSS (\d+) MB; elapsed ([\d.]+) s/.exec(
      stderr,
    );
  if (status !== 0 || !m) throw new Error(`retail-stream ${args.join(" ")} failed:\n${stderr.slice(-1500)}`);
  return {
    primary: +m[1],
    produced: +m[2],
    delivered: +m[3],
    failed: +m[4],
    peakInFlight: +m[5],
    rssMb: +m[6],
    elapsed: +m[7],
  };
}

function cli(args, sink = "kafka") {
  const started = performance.now();
  const result = spawnSync(
    BIN,
    ["--sink", sink, "--log-level", "warn", ...(sink === "kafka" ? ["--brokers", BROKERS] : []), ...args],
    {
      encoding: "utf8",
      maxBuffer: 1 << 30,
      stdio: ["ignore", sink === "stdout" ? "pipe" : "ignore", "pipe"],
      env: AS_USER,
    },
  );
  // (--sink postgres takes its URL among the args)
  const wall = (performance.now() - started) / 1000;
  return { stdout: result.stdout, wall, ...summaryOf(args, result.status, result.stderr) };
}

/** Pids of `root` and all its descendants, from /proc. */
function processTree(root) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/**
 * Resident memory of processes together, kB: their private (anonymous) pages
 * summed, and each file's pages (the node binary and its ICU data, shared
 * libraries) counted once, at the most any of them has resident. Unlike PSS it
 * does not depend on who else maps the same files (this bench is node too).
 */
function footprintKb(pids) {
  let anonymous = 0;
  const files = new Map();
  for (const pid of pids) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/smaps`, "utf8");
    } catch {
      continue;
    }
    let key;
    for (const row of text.split("\n")) {
      const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ ([0-9a-f]+) \S+ \d+\s*(.*)$/.exec(row);
      if (mapping) {
        key = mapping[2].startsWith("/") ? `${mapping[2]}@${mapping[1]}` : undefined;
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(row);
      if (!rss) continue;
      if (key === undefined) anonymous += Number(rss[1]);
      else files.set(key, Math.max(files.get(key) ?? 0, Number(rss[1])));
    }
  }
  return anonymous + [...files.values()].reduce((a, b) => a + b, 0);
}

/**
 * `cli` run asynchronously, sampling its process tree every 100 ms: the peak of
 * what the processes occupy together (`footprintKb`), beside the summary's peak
 * RSS (for several processes, their peaks summed, shared file pages counted in each).
 */
async function cliSampled(args) {
  const child = spawn(
    "bash",
    [...CPU_WRAPPER, BIN, "--sink", "kafka", "--log-level", "warn", "--brokers", BROKERS, ...args],
    { stdio: ["ignore", "ignore", "pipe"], env: AS_USER },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let peakKb = 0;
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, footprintKb(processTree(child.pid)))), 100);
  const status = await new Promise((r) => child.on("close", r));
  clearInterval(sampler);
  return { ...summaryOf(args, status, stderr), togetherMb: Math.round(peakKb / 1024), cpu: cpuOf(stderr) };
}

/** Mean value size and records per primary event (a sale brings its decrement, and more), from a sample run. */
function sampleShape(primary) {
  const { stdout } = cli(fullSpeed(primary), "stdout");
  const lines = stdout.trimEnd().split("\n");
  return {
    size: lines.reduce((sum, l) => sum + Buffer.byteLength(JSON.stringify(JSON.parse(l).value)), 0) / lines.length,
    perPrimary: lines.length / primary,
  };
}

function producerPerformance(records, size) {
  const topic = `bench-java-${randomUUID().slice(0, 6)}`;
  execFileSync(
    "java",
    [
      "-cp",
      `${ROOT}.kafka/lib/*`,
      "-Dlog4j2.configurationFile=" + `${ROOT}kafka/log4j2.properties`,
      `-Dkafka.logs.dir=${ROOT}.kafka/logs`,
      "-Dkafka.log.file=tools.log",
      "org.apache.kafka.tools.TopicCommand",
      "--bootstrap-server",
      BROKERS,
      "--create",
      "--topic",
      topic,
      "--partitions",
      "3",
      "--replication-factor",
      "1",
    ],
    { stdio: "ignore" },
  );
  const run = spawnSync(
    "bash",
    [
      ...CPU_WRAPPER,
      "java",
      "-Xmx1g",
      "-cp",
      `${ROOT}.kafka/lib/*`,
      `-Dlog4j2.configurationFile=${ROOT}kafka/log4j2.properties`,
      `-Dkafka.logs.dir=${ROOT}.kafka/logs`,
      "-Dkafka.log.file=tools.log",
      "org.apache.kafka.tools.ProducerPerformance",
      "--topic",
      topic,
      "--num-records",
      String(records),
      "--record-size",
      String(size),
      "--throughput",
      "-1",
      "--producer-props",
      `bootstrap.servers=${BROKERS}`,
      "acks=all",
      "enable.idempotence=true",
      "linger.ms=10",
      "batch.size=1000000",
      "compression.type=lz4",
    ],
    { encoding: "utf8", maxBuffer: 1 << 26 },
  );
  if (run.status !== 0) throw new Error(`ProducerPerformance failed:\n${run.stderr.slice(-1500)}`);
  const out = run.stdout;
  const m =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency/.exec(
      out,
    );
  if (!m) throw new Error(`ProducerPerformance printed:\n${out}`);
  return { records: +m[1], perSec: +m[2], mbPerSec: +m[3], avgLatency: +m[4], cpu: cpuOf(run.stderr) };
}

line(
  `retail-stream bench — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, broker ${BROKERS}`,
);

if (!SKIP.has("throughput")) {
  const shape = sampleShape(20_000);
  const primary = Math.round(EVENTS / shape.perPrimary);
  const size = Math.round(shape.size);
  line(
    `\n## Throughput and CPU per record: ${fmt(primary)} primary events = about ${fmt(EVENTS)} records at full speed (0,0 deltas, acks=all, idempotent, lz4); CPU = user + system of the client process, all its threads`,
  );
  // A broker just started runs its first few hundred thousand records several times slower (its JIT warming up):
  // whatever ran first would be measured against a cold broker. Warm it with a run of ours and the floor, unmeasured.
  const warm = performance.now();
  cli([...fullSpeed(Math.min(primary, 100_000), 2), ...topicArgs("warm")]);
  execFileSync(process.execPath, [`${ROOT}bench/rdkafka-floor.mjs`, "200000", "errors"], { encoding: "utf8" });
  line(`(broker warmed up first, unmeasured: ${fmt((performance.now() - warm) / 1000, 1)} s)`);
  const ours = await cliSampled([...fullSpeed(primary), ...topicArgs("ours")]);
  const oursRate = ours.delivered / ours.elapsed;
  line(
    `retail-stream:         (the default schema version) ${fmt(ours.delivered)} records delivered (${ours.failed} failed) in ${fmt(ours.elapsed, 2)} s = ${fmt(oursRate)} records/s, ${fmt((oursRate * size) / 1e6, 1)} MB/s; ` +
      `CPU ${fmt(per100k(ours.cpu, ours.delivered), 2)} s per 100,000 records; mean value ${size} B; peak RSS ${ours.rssMb} MB (sampled: ${ours.togetherMb} MB)`,
  );
  // The start of each client (node and its modules, or the JVM) taken off: a short run's CPU subtracted, per record of the rest.
  const oursShort = await cliSampled([...fullSpeed(240), ...topicArgs("ours-short")]);
  const oursSteady = steadyPer100k(ours, oursShort);
  line(
    `  start excluded:      CPU ${fmt(oursSteady, 2)} s per 100,000 records (a run of ${fmt(oursShort.delivered)} records took ${fmt(oursShort.cpu, 2)} s)`,
  );
  // Version 1 (a line per sale, fewer records per primary event, no exact-money text) beside the default version.
  const v1 = await cliSampled([...fullSpeed(primary), "--schema-version", "1", ...topicArgs("ours-v1")]);
  line(
    `  --schema-version 1:  ${fmt(v1.delivered)} records delivered (${v1.failed} failed) in ${fmt(v1.elapsed, 2)} s = ${fmt(v1.delivered / v1.elapsed)} records/s; ` +
      `CPU ${fmt(per100k(v1.cpu, v1.delivered), 2)} s per 100,000 records; peak RSS ${v1.rssMb} MB`,
  );
  const two = await cliSampled([...fullSpeed(primary), "--workers", "2", ...topicArgs("ours2")]);
  const twoRate = two.delivered / two.elapsed;
  line(
    `retail-stream -w 2:    ${fmt(two.delivered)} records delivered (${two.failed} failed) in ${fmt(two.elapsed, 2)} s = ${fmt(twoRate)} records/s (${fmt(twoRate / 2)} per worker); ` +
      `CPU ${fmt(per100k(two.cpu, two.delivered), 2)} s per 100,000 records (the three processes); peak RSS ${two.rssMb} MB (the three processes' peaks summed), ${two.togetherMb} MB together (sampled, file pages counted once)`,
  );
  // node-rdkafka alone with the run's own records, pre-built (the same topics, keys, headers and value bytes), and
  // with blank ones: what the client costs before anything is generated.
  const recordsFile = `${tmpdir()}/retail-stream-bench-${randomUUID().slice(0, 6)}.ndjson`;
  const out = openSync(recordsFile, "w");
  const written = spawnSync(BIN, ["--sink", "stdout", "--log-level", "warn", ...fullSpeed(primary)], {
    stdio: ["ignore", out, "pipe"],
    encoding: "utf8",
    env: AS_USER,
  });
  closeSync(out);
  if (written.status !== 0) throw new Error(`retail-stream --sink stdout failed:\n${written.stderr.slice(-1500)}`);
  const floor = (what, mode, file) => {
    const run = spawnSync(
      "bash",
      [
        ...CPU_WRAPPER,
        process.execPath,
        `${ROOT}bench/rdkafka-floor.mjs`,
        String(ours.delivered),
        mode,
        ...(file === undefined ? [] : [file]),
      ],
      { encoding: "utf8" },
    );
    const m = /: (\d+) records in ([\d.]+) s = (\d+) records\/s, (\d+) failed; producing CPU ([\d.]+) s/.exec(
      run.stdout,
    );
    if (run.status !== 0 || !m) throw new Error(`rdkafka-floor failed:\n${run.stdout}${run.stderr}`);
    const result = { rate: +m[3], cpu: per100k(+m[5], +m[1]) };
    line(
      `node-rdkafka alone:    ${fmt(+m[1])} ${what}, ${mode === "errors" ? "reports of errors only" : "a report per record"}, in ${fmt(+m[2], 2)} s = ${fmt(result.rate)} records/s; ` +
        `CPU ${fmt(result.cpu, 2)} s per 100,000 records producing (start and reading excluded)`,
    );
    return result;
  };
  let sameFloor;
  let sameFloorAll;
  try {
    sameFloor = floor(
      "of the run's records, pre-built (the same topics, keys, headers and value bytes)",
      "errors",
      recordsFile,
    );
    sameFloorAll = floor("of the run's records", "all", recordsFile);
  } finally {
    rmSync(recordsFile, { force: true });
  }
  const blankFloor = floor("blank records (261 B of one letter, 20 keys, 5 topics)", "errors");
  const theirs = producerPerformance(ours.delivered, size);
  const theirsShort = producerPerformance(1000, size);
  const javaCpu = per100k(theirs.cpu, theirs.records);
  const javaSteady = steadyPer100k(
    { cpu: theirs.cpu, delivered: theirs.records },
    { cpu: theirsShort.cpu, delivered: theirsShort.records },
  );
  line(
    `ProducerPerformance:   ${fmt(theirs.records)} blank records of ${size} B = ${fmt(theirs.perSec)} records/s, ${fmt(theirs.mbPerSec, 1)} MB/s (avg latency ${theirs.avgLatency} ms); CPU ${fmt(javaCpu, 2)} s per 100,000 records (JVM start included)`,
  );
  line(
    `  start excluded:      CPU ${fmt(javaSteady, 2)} s per 100,000 records (a run of ${fmt(theirsShort.records)} records took ${fmt(theirsShort.cpu, 2)} s)`,
  );
  const oursCpu = per100k(ours.cpu, ours.delivered);
  line(
    `ratios: one process / node-rdkafka alone (errors only) in records/s: ${(oursRate / sameFloor.rate).toFixed(2)} against the run's records, ${(oursRate / blankFloor.rate).toFixed(2)} against blank ones (target ≥ 0.5); ` +
      `CPU per record / ProducerPerformance's ${(oursCpu / javaCpu).toFixed(2)} (target ≤ 1), ${(oursSteady / javaSteady).toFixed(2)} with both starts excluded; ` +
      `node-rdkafka alone sending the run's records / ProducerPerformance, starts excluded: ${(sameFloor.cpu / javaSteady).toFixed(2)} (${(sameFloorAll.cpu / javaSteady).toFixed(2)} with a report per record); ` +
      `what generating adds to sending the same records, starts excluded: ${fmt(oursSteady - sameFloor.cpu, 2)} s per 100,000 records (${((oursSteady - sameFloor.cpu) / sameFloor.cpu).toFixed(2)} of node-rdkafka alone's); ` +
      `best of 1 and 2 workers / ProducerPerformance ${(Math.max(oursRate, twoRate) / theirs.perSec).toFixed(2)} in records/s; 2 workers / 1 ${(twoRate / oursRate).toFixed(2)}; ` +
      `peak RSS one process ${ours.rssMb} MB (target ≤ 130 MB), 2 workers ${two.togetherMb} MB together; ` +
      `version 1: CPU per record / ProducerPerformance's ${(per100k(v1.cpu, v1.delivered) / javaCpu).toFixed(2)}`,
  );
}

if (!SKIP.has("stall")) {
  line("\n## Memory under a stall: the broker frozen (SIGSTOP) for 30 s during a full-speed run, then thawed");
  const pid = Number(readFileSync(`${ROOT}.kafka/broker.pid`, "utf8"));
  for (const extra of [[], ["--max-in-flight-mb", "1024"]]) {
    const child = spawn(
      BIN,
      [
        "--sink",
        "kafka",
        "--brokers",
        BROKERS,
        "--log-level",
        "warn",
        ...fullSpeed(Math.round(EVENTS / 2)),
        "--flush-timeout",
        "120",
        ...extra,
        ...topicArgs("stall"),
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: AS_USER },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(pid, "SIGSTOP");
    await new Promise((r) => setTimeout(r, 30_000));
    process.kill(pid, "SIGCONT");
    await new Promise((r) => child.on("close", r));
    const m = /produced (\d+), delivered (\d+), failed (\d+); peak in flight (\d+), peak RSS (\d+) MB/.exec(stderr);
    line(
      `${extra.length === 0 ? "in flight ≤ 8 MiB (default)" : "in flight ≤ 1 GiB (records only)"}: ${m ? `produced ${fmt(+m[1])}, delivered ${fmt(+m[2])}, failed ${m[3]}, peak in flight ${fmt(+m[4])}, peak RSS ${m[5]} MB` : stderr.slice(-500)}${extra.length === 0 ? "  (target < 200 MB)" : ""}`,
    );
  }
}

if (!SKIP.has("formats")) {
  const registry = process.env.SCHEMA_REGISTRY_URL ?? "http://127.0.0.1:8081/apis/ccompat/v7";
  const reachable = await fetch(`${registry}/subjects`).then(
    (r) => r.ok,
    () => false,
  );
  const count = Math.round(EVENTS / 5);
  line(
    `\n## Throughput per format: ${fmt(count)} primary events each, same run otherwise (registry ${registry}${reachable ? "" : ": not running, skipped — make registry-up"})`,
  );
  if (reachable) {
    for (const format of ["json", "avro", "protobuf", "json-schema"]) {
      const out = cli([
        ...fullSpeed(count),
        "--format",
        format,
        ...(format === "json" ? [] : ["--schema-registry", registry]),
        ...topicArgs(`fmt-${format}`),
      ]);
      line(
        `${format.padEnd(12)} ${fmt(out.delivered)} records in ${fmt(out.elapsed, 2)} s = ${fmt(out.delivered / out.elapsed)} records/s, failed ${out.failed}, peak RSS ${out.rssMb} MB`,
      );
    }
  }
}

if (!SKIP.has("transactions")) {
  const count = Math.round(EVENTS / 5);
  line(`\n## Transactions: ${fmt(count)} primary events, without and with --transactional-id (commits every 100 ms)`);
  const plain = cli([...fullSpeed(count), ...topicArgs("txn-off")]);
  const txn = cli([
    ...fullSpeed(count),
    "--transactional-id",
    `bench-${randomUUID().slice(0, 6)}`,
    ...topicArgs("txn-on"),
  ]);
  const rate = (out) => out.delivered / out.elapsed;
  line(`without: ${fmt(plain.delivered)} records in ${fmt(plain.elapsed, 2)} s = ${fmt(rate(plain))} records/s`);
  line(
    `with:    ${fmt(txn.delivered)} records in ${fmt(txn.elapsed, 2)} s = ${fmt(rate(txn))} records/s (ratio ${(rate(txn) / rate(plain)).toFixed(2)})`,
  );
}

if (!SKIP.has("backfill")) {
  line("\n## Backfill speed (default 10–60 s gaps; wall time includes process start)");
  for (const [label, days] of [
    ["1 day", 1],
    ["30 days", 30],
  ]) {
    const span = [
      "--from",
      "2026-01-01T00:00:00Z",
      "--to",
      new Date(Date.UTC(2026, 0, 1 + days)).toISOString(),
      "--seed",
      "7",
    ];
    const out = cli(span, "stdout");
    line(
      `${label.padEnd(8)} stdout: ${fmt(out.produced)} events in ${fmt(out.wall, 2)} s wall (${fmt(out.produced / out.elapsed)} events/s in the run)${days === 1 ? "  (target < 1 s)" : ""}`,
    );
    const kafka = cli([...span, ...topicArgs(`bf${days}`)]);
    line(
      `${label.padEnd(8)} kafka:  ${fmt(kafka.produced)} events in ${fmt(kafka.wall, 2)} s wall (${fmt(kafka.delivered / kafka.elapsed)} events/s in the run), failed ${kafka.failed}`,
    );
  }
}

if (!SKIP.has("database")) {
  const server = process.env.POSTGRES_URL ?? `postgres://retail:retail@127.0.0.1:${process.env.POSTGRES_PORT ?? 5433}`;
  const pg = (await import("pg")).default;
  const fresh = async (tag) => {
    const name = `bench_${tag}_${randomUUID().slice(0, 6)}`;
    const admin = new pg.Client({ connectionString: `${server}/retail` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return `${server}/${name}`;
  };
  const reachable = await fresh("probe").then(
    () => true,
    () => false,
  );
  line(
    `\n## Database backfill: one day (default gaps) into PostgreSQL, batched transactions against row-by-row inserts of the same records (${reachable ? server.replace(/:[^:@/]+@/, ":***@") : "no server: skipped — make postgres-up"})`,
  );
  if (reachable) {
    const span = ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--seed", "7"];
    const url = await fresh("batched");
    const ours = cli([...span, "--postgres", url], "postgres");
    line(
      `retail-stream --sink postgres: ${fmt(ours.delivered)} records in ${fmt(ours.elapsed, 2)} s = ${fmt(ours.delivered / ours.elapsed)} records/s, failed ${ours.failed}`,
    );
    // The anchor: the same records, each its own INSERT (state rows as upserts), committed one by one.
    const anchorUrl = await fresh("rows");
    cli([...span, "--postgres", anchorUrl, "--count", "1"], "postgres");
    const generated = cli(span, "stdout");
    const records = generated.stdout
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l).value);
    const client = new pg.Client({ connectionString: anchorUrl });
    await client.connect();
    const started = performance.now();
    for (const e of records) {
      if (e.event_type === "sale")
        await client.query("INSERT INTO retail.order_lines VALUES ($1, 1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING", [
          e.transaction_id,
          e.product_id,
          e.quantity,
          e.unit_price,
          e.total_amount,
          e.event_id,
        ]);
      else if (e.event_type === "inventory_update") {
        await client.query(
          "INSERT INTO retail.inventory_movements VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
          [
            e.event_id,
            e.store_id,
            e.product_id,
            e.quantity_change,
            e.reason,
            e.stock_after,
            e.source_event_id ?? null,
            e.event_time,
          ],
        );
        await client.query(
          "INSERT INTO retail.stock VALUES ($1, $2, $3, $4) ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = EXCLUDED.updated_at",
          [e.store_id, e.product_id, e.stock_after, e.event_time],
        );
      } else if (e.event_type === "customer_event")
        await client.query(
          "INSERT INTO retail.customer_visits VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
          [e.event_id, e.customer_id, e.store_id, e.action, e.transaction_id ?? null, e.event_time],
        );
      else if (e.event_type === "price_change")
        await client.query(
          "INSERT INTO retail.price_changes VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
          [e.event_id, e.store_id, e.product_id, e.old_price, e.new_price, e.reason, e.event_time],
        );
      else if (e.event_type === "restock_alert")
        await client.query(
          "INSERT INTO retail.restock_alerts VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
          [
            e.event_id,
            e.store_id,
            e.product_id,
            e.current_stock,
            e.reorder_point,
            e.suggested_quantity,
            e.priority,
            e.event_time,
          ],
        );
    }
    const rowSeconds = (performance.now() - started) / 1000;
    await client.end();
    // The anchor's backfill: the same generation (the stdout run's time) plus its inserts.
    const anchor = generated.elapsed + rowSeconds;
    line(
      `row by row (anchor):          ${fmt(records.length)} records in ${fmt(anchor, 2)} s = ${fmt(records.length / anchor)} records/s (generating ${fmt(generated.elapsed, 2)} s, inserting ${fmt(rowSeconds, 2)} s)`,
    );
    line(`batched ÷ row by row, the day's backfill end to end: ${(anchor / ours.elapsed).toFixed(1)}×  (target ≥ 10×)`);
  }
}

if (!SKIP.has("making")) {
  line(`\n## Making records, per core: retail-stream to /dev/null beside Flink SQL's datagen into a blackhole`);
  // Ours: the default schema version at zero gaps, written to /dev/null; CPU of the process, its start taken off.
  const made = (count) => {
    const out = openSync("/dev/null", "w");
    const run = spawnSync(
      "bash",
      [...CPU_WRAPPER, BIN, "--sink", "stdout", "--log-level", "warn", ...fullSpeed(count)],
      { stdio: ["ignore", out, "pipe"], encoding: "utf8", env: AS_USER },
    );
    closeSync(out);
    return { ...summaryOf(["--sink", "stdout"], run.status, run.stderr), cpu: cpuOf(run.stderr) };
  };
  const oursLong = made(Math.round(EVENTS / 3));
  const oursShort = made(240);
  const oursPerCore = (oursLong.produced - oursShort.produced) / (oursLong.cpu - oursShort.cpu);
  line(
    `retail-stream:   ${fmt(oursLong.produced)} records in ${fmt(oursLong.elapsed, 2)} s, CPU ${fmt(oursLong.cpu, 2)} s; start excluded: ${fmt(oursPerCore)} records per CPU-second, ${fmt(per100k(1, oursPerCore), 2)} s per 100,000`,
  );
  // The anchor: Flink's datagen connector making rows as wide as a sale line (its columns and their text's lengths)
  // into a blackhole sink, one task (parallelism 1) in the embedded mini-cluster; the JVM's start taken off the same way.
  const flinkRows = (rows) => {
    const sql = `${tmpdir()}/retail-stream-bench-datagen-${randomUUID().slice(0, 6)}.sql`;
    const text = (name, length) => `'fields.${name}.length' = '${length}'`;
    writeFileSync(
      sql,
      `CREATE TABLE generated (
  event_id STRING, event_type STRING, event_time TIMESTAMP_LTZ(3), schema_version INT, transaction_id STRING,
  store_id STRING, product_id STRING, quantity INT, unit_price DECIMAL(12, 2), total_amount DECIMAL(12, 2),
  payment_method STRING, customer_id STRING, line_number INT, line_count INT, currency STRING
) WITH (
  'connector' = 'datagen', 'number-of-rows' = '${rows}', 'rows-per-second' = '1000000000',
  ${[text("event_id", 36), text("event_type", 4), text("transaction_id", 36), text("store_id", 4), text("product_id", 5), text("payment_method", 6), text("customer_id", 7), text("currency", 3)].join(", ")}
);
CREATE TABLE discarded WITH ('connector' = 'blackhole') LIKE generated (EXCLUDING ALL);
INSERT INTO discarded SELECT * FROM generated;
`,
    );
    const started = performance.now();
    const run = spawnSync("bash", [...CPU_WRAPPER, `${ROOT}scripts/flink-sql.sh`, sql], { encoding: "utf8" });
    rmSync(sql, { force: true });
    if (run.status !== 0) throw new Error(`Flink datagen failed:\n${run.stderr.slice(-1500)}`);
    return { rows, wall: (performance.now() - started) / 1000, cpu: cpuOf(run.stderr) };
  };
  const flinkShort = flinkRows(1000);
  const flinkLong = flinkRows(EVENTS * 4);
  const flinkPerCore = (flinkLong.rows - flinkShort.rows) / (flinkLong.cpu - flinkShort.cpu);
  line(
    `Flink datagen:   ${fmt(flinkLong.rows)} rows in ${fmt(flinkLong.wall, 2)} s wall, CPU ${fmt(flinkLong.cpu, 2)} s; start excluded: ${fmt(flinkPerCore)} rows per CPU-second, ${fmt(per100k(1, flinkPerCore), 2)} s per 100,000`,
  );
  line(
    `retail-stream ÷ Flink datagen, per CPU-second: ${(oursPerCore / flinkPerCore).toFixed(2)}  (ours serialises JSON with a consistent chain behind it; datagen makes random binary rows)`,
  );
}

if (!SKIP.has("pacing")) {
  line(`\n## Pacing fidelity: ${fmt(PACING)} events at --speed 1000 (10–60 ms wall gaps)`);
  const ours = await pacingFidelity(PACING);
  line(
    `retail-stream driver: p50 ${ours.p50.toFixed(3)} ms, p99 ${ours.p99.toFixed(3)} ms, max ${ours.max.toFixed(3)} ms; last event ${ours.last.toFixed(3)} ms behind its target  (target p99 < 2 ms, last < 50 ms)`,
  );
  const bare = await bareTimers(Math.min(PACING, 2000));
  line(
    `bare setTimeout, ${fmt(Math.min(PACING, 2000))} timers: lateness p50 ${bare.p50.toFixed(3)} ms, p99 ${bare.p99.toFixed(3)} ms, max ${bare.max.toFixed(3)} ms; a sleep(gap) loop drifted ${bare.drift.toFixed(1)} ms by its end`,
  );
}
