import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Envelope } from "../../src/wire/envelope.js";
import { BIN, ROOT, isPrimaryValue, jsonLines, primaryTicks, requireBuild, runCli, startCli } from "../support/cli.js";

const FAST = ["--sink", "stdout", "--min-delta", "0", "--max-delta", "0", "--start-time", "2026-01-01T00:00:00Z"];

describe("retail-stream (CLI)", () => {
  before(requireBuild);

  it("should print 1000 primary events plus one decrement per sale line (and what else they cause) as JSON envelopes", () => {
    const result = runCli([...FAST, "--count", "1000", "--seed", "1"]);
    expect(result.status).to.equal(0, result.stderr);
    const lines = jsonLines<Envelope>(result.stdout);
    const sales = lines.filter((l) => l.value.event_type === "sale");
    const decrements = lines.filter((l) => l.value.event_type === "inventory_update" && l.value.reason === "sale");
    expect(primaryTicks(lines.map((l) => l.value))).to.equal(1000);
    expect(decrements).to.have.length(sales.length);
    for (const line of lines) {
      expect(Object.keys(line)).to.deep.equal(["topic", "key", "timestamp", "headers", "value"]);
      expect(line.timestamp).to.equal(Date.parse(line.value.event_time));
      expect(line.headers).to.deep.equal({ event_type: line.value.event_type, schema_version: "3" });
    }
    const tail = result.stderr.slice(-800);
    expect(result.stderr, tail)
      .to.match(/info {2}Event #1: /)
      .and.match(/summary: 1000 primary events/);
    expect(result.stderr).to.match(new RegExp(`produced ${lines.length}, delivered ${lines.length}, failed 0`));
  });

  it("should print byte-identical output for the same seed and start time", () => {
    const args = [...FAST, "--count", "300", "--seed", "5"];
    const first = runCli(args);
    expect(first.stdout.length).to.be.above(10_000);
    expect(runCli(args).stdout).to.equal(first.stdout);
    expect(runCli([...FAST, "--count", "300", "--seed", "6"]).stdout).to.not.equal(first.stdout);
  });

  it("should space events by the gaps and start at --start-time", () => {
    const result = runCli([
      "--sink",
      "stdout",
      "--speed",
      "100000",
      "--count",
      "50",
      "--seed",
      "3",
      "--start-time",
      "2026-03-01T09:00:00Z",
      "--weights",
      "customer=1",
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const times = jsonLines<Envelope>(result.stdout)
      .filter((l) => isPrimaryValue(l.value))
      .map((l) => l.timestamp);
    expect(times[0]).to.equal(Date.UTC(2026, 2, 1, 9));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).to.be.at.least(10_000);
    expect(Math.max(...gaps)).to.be.at.most(60_000);
  });

  it("should end cleanly with exit 0 when the reader closes the pipe (| head)", () => {
    const result = spawnSync(
      "bash",
      ["-c", `set -o pipefail; node ${BIN} ${FAST.join(" ")} --seed 1 | head -n 5 > /dev/null; echo "status=$?"`],
      { cwd: ROOT, encoding: "utf8", timeout: 30_000 },
    );
    expect(result.stdout.trim()).to.equal("status=0");
    expect(result.stderr).to.match(/stopping: the reader closed standard output/);
    expect(result.stderr).to.not.match(/\n\s+at /);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // @clock: a live run starts at the real time of day (`make hours` runs it at several hours).
    it(`should start now and stop on ${signal} with a summary and exit 0 @clock`, async () => {
      const started = Date.now();
      const { child, done } = await startCli(["--sink", "stdout", "--seed", "2"], /Event #1:/);
      child.kill(signal);
      const result = await done;
      expect(result.status).to.equal(0);
      expect(result.stderr)
        .to.match(new RegExp(`stopping on ${signal}`))
        .and.match(/summary: 1 primary events/);
      const lines = jsonLines<{ timestamp: number }>(result.stdout);
      expect(lines.length).to.be.within(1, 2);
      // The first event is stamped with the wall clock of the run (the test's own, faked or not).
      expect((lines[0] as { timestamp: number }).timestamp).to.be.within(started, Date.now());
    });
  }

  it("should answer -h and --version as command-line tools do, and take -b and --bootstrap-server for --brokers", () => {
    const help = runCli(["-h"]);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.match(/-b, --brokers, --bootstrap-server/);
    const version = runCli(["--version"]);
    expect(version.status).to.equal(0);
    const { version: release } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(version.stdout.trim()).to.match(
      new RegExp(`^${release.replace(/\./g, "\\.")} \\(stream generation \\d+\\)$`),
    );
    for (const flag of ["-b", "--bootstrap-server"]) {
      const result = runCli([flag, "127.0.0.1:1", "--count", "1", "--connect-timeout", "1"]);
      expect(result.stderr, flag).to.match(/cannot reach Kafka at 127\.0\.0\.1:1/);
    }
  });

  it("should stamp records with the wall clock on --record-timestamp wall, the event time kept in the value and an event_time header", () => {
    const before = Date.now();
    const result = runCli([...FAST, "--count", "20", "--seed", "1", "--record-timestamp", "wall"]);
    expect(result.status, result.stderr).to.equal(0);
    const lines = jsonLines<{ timestamp: number; headers: Record<string, string>; value: { event_time: string } }>(
      result.stdout,
    );
    expect(lines.length).to.be.at.least(20);
    for (const line of lines) {
      expect(line.timestamp).to.be.within(before, Date.now());
      expect(line.headers.event_time).to.equal(line.value.event_time);
      expect(line.value.event_time.startsWith("2026-01-01T00:00:00")).to.equal(true);
    }
  });

  it("should read every time without an offset as UTC, and take units on durations", () => {
    const at = (args: string[]): number =>
      (
        jsonLines<{ timestamp: number }>(runCli([...FAST, "--count", "1", "--seed", "1", ...args]).stdout)[0] as {
          timestamp: number;
        }
      ).timestamp;
    expect(at(["--start-time", "2026-03-01T09:30"])).to.equal(Date.parse("2026-03-01T09:30:00Z"));
    expect(at(["--start-time", "2026-03-01"])).to.equal(Date.parse("2026-03-01T00:00:00Z"));
    const tenMinutes = runCli([
      "--sink",
      "stdout",
      "--duration",
      "10m",
      "--speed",
      "1000000",
      "--start-time",
      "2026-03-01T09:30",
      "--seed",
      "1",
    ]);
    expect(tenMinutes.status, tenMinutes.stderr).to.equal(0);
    const times = jsonLines<{ timestamp: number }>(tenMinutes.stdout).map((l) => l.timestamp);
    expect(Math.max(...times)).to.be.below(Date.parse("2026-03-01T09:40:00Z"));
    expect(Math.max(...times)).to.be.above(Date.parse("2026-03-01T09:35:00Z"));
  });

  // Version 2 (the default; the suite runs version 1 unless told) has checkouts of several lines and reference records.
  it("should say a checkout whole in the event log: its lines, units and total", () => {
    const result = runCli([...FAST, "--count", "40", "--seed", "3", "--schema-version", "2"]);
    expect(result.status).to.equal(0, result.stderr);
    const sales = jsonLines<Envelope>(result.stdout)
      .map((l) => l.value)
      .filter((v): v is Extract<Envelope["value"], { event_type: "sale" }> => v.event_type === "sale");
    const said = [
      ...result.stderr.matchAll(/Event #\d+: checkout (\S+) (\d+) lines \$([\d.]+): (.*) \((\S+), (\w+)\)$/gm),
    ];
    expect(said.length).to.be.greaterThan(0);
    for (const [, store, count, total, items, customer] of said) {
      const lines = sales.filter(
        (s) => s.customer_id === customer && s.store_id === store && s.line_count === Number(count),
      );
      expect(lines.length, `${store} ${customer}`).to.be.at.least(Number(count));
      const checkout = lines.slice(0, Number(count));
      expect(items).to.equal(checkout.map((l) => `${l.product_id} ×${l.quantity}`).join(", "));
      expect(Number(total)).to.be.closeTo(
        checkout.reduce((sum, l) => sum + Number(l.total_amount), 0),
        0.001,
      );
    }
  });

  it("should say how events arrive in its start line: gaps, a Poisson rate or a scenario", () => {
    const line = (args: string[]): string =>
      /seed \d+; .*$/m.exec(
        runCli(["--sink", "stdout", "--count", "2", "--seed", "1", "--speed", "1000000", ...args]).stderr,
      )?.[0] ?? "";
    expect(line(["--arrivals", "poisson", "--rate", "5"])).to.match(/; Poisson arrivals, 5 a minute$/);
    expect(line(["--arrivals", "fixed", "--rate", "6"])).to.match(/; one every 10 s$/);
    expect(line(["--scenario", "weekday"])).to.match(/; scenario weekday$/);
    expect(line(["--min-delta", "0", "--max-delta", "0"])).to.match(/; gaps 0–0 s$/);
  });

  it("should print the chain's reference records on stdout only when asked, the events the same either way", () => {
    const run = (extra: string[]): Envelope[] =>
      jsonLines<Envelope>(runCli([...FAST, "--count", "30", "--seed", "2", "--schema-version", "2", ...extra]).stdout);
    const plain = run([]);
    const asked = run(["--reference-records"]);
    const reference = (l: Envelope): boolean => ["store", "product"].includes(l.headers.event_type as string);
    expect(plain.filter(reference)).to.have.length(0);
    expect(asked.filter(reference).length).to.equal(21 + 500);
    expect(asked.filter((l) => !reference(l))).to.deep.equal(plain);
  });

  it("should end within a second of SIGTERM whatever it is doing: zero gaps, a high speed, a backfill", async () => {
    for (const args of [
      ["--continuous", "--min-delta", "0", "--max-delta", "0"],
      ["--continuous", "--speed", "1000000"],
      ["--from", "2026-01-01T00:00:00Z", "--to", "2026-06-01T00:00:00Z"],
    ]) {
      const { child, done } = await startCli(["--sink", "stdout", "--seed", "1", ...args], /seed 1; /);
      // Busy for a moment first: the signal comes mid-run.
      await new Promise((resolve) => child.stdout?.once("data", resolve));
      const sent = performance.now();
      child.kill("SIGTERM");
      const result = await done;
      expect(result.status, args.join(" ")).to.equal(0);
      expect(performance.now() - sent, args.join(" ")).to.be.below(1000);
    }
  });

  it("should print the JSON Schema of every event type of the default version, or of the version named", () => {
    const result = runCli(["schemas"]);
    expect(result.status).to.equal(0);
    const schemas = JSON.parse(result.stdout) as Record<
      string,
      { $schema: string; properties: Record<string, unknown> }
    >;
    expect(Object.keys(schemas).sort()).to.deep.equal([
      "customer_event",
      "inventory_update",
      "order_status",
      "payment",
      "price_change",
      "restock_alert",
      "return",
      "sale",
    ]);
    expect(schemas.sale?.properties.schema_version).to.deep.equal({ const: 3 });
    const first = JSON.parse(runCli(["schemas", "--schema-version", "1"]).stdout) as typeof schemas;
    expect(Object.keys(first)).to.have.length(5);
    expect(first.sale?.properties.schema_version).to.deep.equal({ const: 1 });
    const proto = runCli(["schemas", "--format", "protobuf", "--schema-version", "2"]).stdout;
    expect(proto).to.include("data/schemas/*.v2.json").and.not.include("message Payment");
    expect(schemas.sale?.$schema).to.equal("https://json-schema.org/draft/2020-12/schema");
    expect(schemas.inventory_update?.properties).to.have.property("stock_after");
  });

  it("should regenerate the committed sample chain from its seed", () => {
    const dir = mkdtempSync(join(tmpdir(), "rs-sample-"));
    expect(runCli(["sample-data", "--out", dir]).status).to.equal(0);
    for (const file of ["stores.json", "products.json"]) {
      expect(readFileSync(join(dir, file), "utf8")).to.equal(readFileSync(join(ROOT, "data", file), "utf8"));
    }
  });

  it("should show help with examples, each command on a line of its own", () => {
    const result = runCli(["--help"]);
    expect(result.status).to.equal(0);
    expect(result.stdout)
      .to.match(/--min-delta/)
      .and.match(/Examples:/);
    expect(result.stdout).to.match(/^ {4}retail-stream --continuous$/m);
    expect(result.stdout).to.match(
      /^ {4}retail-stream --from 2026-01-01T00:00:00Z --to 2026-01-31T00:00:00Z --seed 7$/m,
    );
  });

  it("should wrap help at words to the terminal's width, show numbers as numbers and defaults in their column", () => {
    // yargs sets the type column right after a description that fills the line ("1)[string]"): split there too.
    const words = (text: string): Set<string> => new Set(text.split(/\s+|(?=\[)/));
    const whole = words(runCli(["--help"], { env: { COLUMNS: "2000" } }).stdout);
    for (const columns of [80, 100, 132]) {
      const result = runCli(["--help"], { env: { COLUMNS: String(columns) } });
      const lines = result.stdout.split("\n");
      expect(Math.max(...lines.map((l) => l.length)))
        .to.be.at.most(columns)
        .and.above(columns - 15);
      // Every word the wrapped help shows is a word of the unwrapped one: nothing split mid-word ("rest ock").
      // (Only a word longer than the description column may be cut: the --faults example.)
      const tooLong = [...whole].filter((w) => w.length > 40);
      const cut = [...words(result.stdout)].filter((w) => !whole.has(w) && !tooLong.some((long) => long.includes(w)));
      expect(cut, `at ${columns} columns`).to.deep.equal([]);
    }
    const help = runCli(["--help"], { env: { COLUMNS: "200" } }).stdout;
    const line = (flag: string): string => help.split("\n").find((l) => l.trimStart().startsWith(`${flag} `)) ?? "";
    expect(line("--count")).to.match(/\[number\]$/);
    expect(line("--min-delta")).to.match(/\[number\] \[default: 10\]$/);
    expect(line("--workers"))
      .to.match(/\[number\] \[default: 1\]$/)
      .and.not.match(/\(default/);
    expect(line("--start-time")).to.match(/\[default: now\]$/);
    expect(line("--weights")).to.match(/\[string\]$/);
    // The help's types do not change what is parsed: a number is still read as typed.
    expect(runCli(["--count", "ten", "--sink", "stdout"]).stderr).to.match(
      /--count: expected a whole number, got "ten"/,
    );
  });
});
