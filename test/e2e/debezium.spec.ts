import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createStatements } from "../../src/sinks/postgres/tables.js";
import { ROOT, jsonLines, requireBuild, runCli } from "../support/cli.js";
import { until } from "../support/poll.js";
import { freshDatabase } from "../support/postgres.js";

const RUN = ["--schema-version", "2", "--seed", "11", "--from", "2026-11-02T12:00:00Z", "--to", "2026-11-02T18:00:00Z", "--log-level", "warn"];
const TABLES = "retail.stores,retail.products,retail.stock,retail.prices";

interface Change { topic: string; key: unknown; op: string; before: unknown; after: unknown }

/**
 * Debezium as the referee: its embedded engine and PostgreSQL connector (3.6.1.Final,
 * jars from Maven Central) capture the database `--sink postgres` writes, and the
 * captured changes of the state and reference tables equal, row by row (each row's changes in order),
 * what `--format debezium` writes for the same seed without a database.
 */
describe("Debezium's capture of the database against --format debezium", function () {
  this.timeout(600_000);
  before(requireBuild);

  it("should capture, row by row and each row in order, the very row changes --format debezium writes for the seed", async () => {
    const url = await freshDatabase("e2e_cdc");
    const database = new URL(url).pathname.slice(1);
    // The tables first, empty and owned by the capturing role: its publication covers them, and the slot sees every later commit.
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    for (const statement of createStatements()) await setup.query(statement);
    await setup.end();

    const capture = spawn(`${ROOT}/scripts/debezium-capture.sh`, ["127.0.0.1", new URL(url).port, database, "retail", `slot_${randomUUID().slice(0, 8)}`, TABLES],
      { env: { ...process.env, PGPASSWORD: "retail" }, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    capture.stdout.on("data", (d: Buffer) => (out += d.toString()));
    capture.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => capture.on("exit", resolve));
    try {
      await until("the capture is ready", 180_000, () => {
        if (capture.exitCode !== null) throw new Error(`capture ended: ${err}`);
        return err.includes("capture: ready");
      });
      const write = runCli(["--sink", "postgres", "--postgres", url, ...RUN], { timeout: 120_000 });
      expect(write.status, write.stderr).to.equal(0);

      const expected: Change[] = (jsonLines(runCli(["--sink", "stdout", "--format", "debezium", ...RUN]).stdout) as Array<{ topic: string; key: string; value: Change }>)
        .map((r) => ({ topic: r.topic, key: JSON.parse(r.key) as unknown, op: r.value.op, before: r.value.before, after: r.value.after }));
      expect(expected.length).to.be.above(1000);
      const captured = (): Change[] => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { topic: string; key: unknown; value: Change })
        .map((c) => ({ topic: c.topic, key: c.key, op: c.value.op, before: c.value.before, after: c.value.after }));
      await until(`${expected.length} changes captured`, 120_000, () => captured().length >= expected.length);

      // Each row's changes in order (the order a topic keyed by the row keeps), every row of every table.
      const byRow = (changes: Change[]): Map<string, Change[]> => {
        const rows = new Map<string, Change[]>();
        for (const change of changes) {
          const row = `${change.topic} ${JSON.stringify(change.key)}`;
          rows.set(row, [...(rows.get(row) ?? []), change]);
        }
        return rows;
      };
      const got = byRow(captured());
      const want = byRow(expected);
      expect(new Set([...got.keys()].map((k) => k.split(" ")[0]))).to.deep.equal(new Set(["retail.retail.prices", "retail.retail.products", "retail.retail.stock", "retail.retail.stores"]));
      expect(got.size).to.equal(want.size);
      for (const [row, changes] of want) expect(got.get(row), row).to.deep.equal(changes);
      expect([...want.values()].some((changes) => changes.length > 2 && changes[2]?.op === "u" && changes[2]?.before !== null)).to.equal(true);
    } finally {
      capture.stdin.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (capture.exitCode === null) capture.kill("SIGKILL");
    }
  });
});
