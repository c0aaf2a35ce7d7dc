import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createStatements } from "../../src/sinks/postgres/tables.js";
import { ROOT, jsonLines, requireBuild, runCli } from "../support/cli.js";
import { until } from "../support/poll.js";
import { freshDatabase } from "../support/postgres.js";

const RUN = ["--seed", "11", "--from", "2026-11-02T12:00:00Z", "--to", "2026-11-02T18:00:00Z", "--log-level", "warn"];
const TABLES = "retail.stores,retail.products,retail.stock,retail.prices,retail.orders";

interface Change {
  topic: string;
  key: unknown;
  op: string;
  before: unknown;
  after: unknown;
  snapshot: string;
}
interface Payload {
  op: string;
  before: unknown;
  after: unknown;
  source: { snapshot: string };
}
interface WithSchema {
  schema: object;
  payload: Payload;
}
interface Line {
  topic: string;
  key: WithSchema;
  value: WithSchema;
}

const changeOf = (l: Line): Change => ({
  topic: l.topic,
  key: l.key.payload,
  op: l.value.payload.op,
  before: l.value.payload.before,
  after: l.value.payload.after,
  snapshot: l.value.payload.source.snapshot,
});

/** Each table's key and value schemas (the first of each topic: they do not change within a run). */
function schemasOf(lines: readonly Line[]): Map<string, { key: object; value: object }> {
  const schemas = new Map<string, { key: object; value: object }>();
  for (const l of lines) if (!schemas.has(l.topic)) schemas.set(l.topic, { key: l.key.schema, value: l.value.schema });
  return schemas;
}

describe("Debezium's capture of the database against --format debezium", function () {
  this.timeout(600_000);
  before(requireBuild);

  it("should capture, row by row and each row in order, the very row changes --format debezium-with-schema writes for the seed: the snapshot of the stores and products, then stock, prices and orders (their status updated in place), with the same schemas", async () => {
    const url = await freshDatabase("e2e_cdc");
    const database = new URL(url).pathname.slice(1);
    const expectedLines = jsonLines(
      runCli(["--sink", "stdout", "--format", "debezium-with-schema", ...RUN]).stdout,
    ).map((r) => ({ ...r, key: JSON.parse(r.key as string) as WithSchema })) as unknown as Line[];
    // The tables first, owned by the capturing role, holding the chain's stores and products as the run begins with them
    // (the rows the generator's snapshot changes carry): the connector's initial snapshot reads them, and its slot sees every later commit.
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    for (const statement of createStatements()) await setup.query(statement);
    for (const line of expectedLines.filter((l) => l.value.payload.op === "r")) {
      const row = line.value.payload.after as Record<string, unknown>;
      const table = line.topic.split(".").pop() as string;
      await setup.query(
        `INSERT INTO retail.${table} (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row)
          .map((_, i) => `$${i + 1}`)
          .join(", ")})`,
        Object.values(row),
      );
    }
    await setup.end();

    const capture = spawn(
      `${ROOT}/scripts/debezium-capture.sh`,
      ["127.0.0.1", new URL(url).port, database, "retail", `slot_${randomUUID().slice(0, 8)}`, TABLES],
      {
        env: { ...process.env, PGPASSWORD: "retail", CAPTURE_SNAPSHOT: "initial", CAPTURE_SCHEMAS: "true" },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    capture.stdout.on("data", (d: Buffer) => (out += d.toString()));
    capture.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => capture.on("exit", resolve));
    try {
      const capturedLines = (): Line[] =>
        out
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Line);
      const snapshot = expectedLines.filter((l) => l.value.payload.op === "r").length;
      expect(snapshot).to.be.above(500);
      await until("the capture is ready and its snapshot read", 180_000, () => {
        if (capture.exitCode !== null) throw new Error(`capture ended: ${err}`);
        return err.includes("capture: ready") && capturedLines().length >= snapshot;
      });
      // The stores and products the database already holds are written again as they are: no change to capture.
      const write = runCli(["--sink", "postgres", "--postgres", url, ...RUN], { timeout: 120_000 });
      expect(write.status, write.stderr).to.equal(0);

      const expected = expectedLines.map(changeOf);
      expect(expected.length).to.be.above(1000);
      await until(`${expected.length} changes captured`, 120_000, () => capturedLines().length >= expected.length);
      const lines = capturedLines();
      expect(lines.length, "no changes beyond those").to.equal(expected.length);

      // Each row's changes in order (the order a topic keyed by the row keeps), every row of every table, snapshot marks included.
      const byRow = (changes: Change[]): Map<string, Change[]> => {
        const rows = new Map<string, Change[]>();
        for (const change of changes) {
          const row = `${change.topic} ${JSON.stringify(change.key)}`;
          rows.set(row, [...(rows.get(row) ?? []), change]);
        }
        return rows;
      };
      const got = byRow(lines.map(changeOf));
      const want = byRow(expected);
      expect(new Set([...got.keys()].map((k) => k.split(" ")[0]))).to.deep.equal(
        new Set([
          "retail.retail.prices",
          "retail.retail.products",
          "retail.retail.stock",
          "retail.retail.stores",
          "retail.retail.orders",
        ]),
      );
      // An online order's status updated in place: its row inserted, then updated at placing and each change after.
      const orders = [...want].filter(([row]) => row.startsWith("retail.retail.orders "));
      expect(orders.some(([, changes]) => changes.length >= 3 && changes.at(-1)?.op === "u")).to.equal(true);
      expect(got.size).to.equal(want.size);
      for (const [row, changes] of want) expect(got.get(row), row).to.deep.equal(changes);
      expect(
        [...want.values()].some(
          (changes) => changes.length > 2 && changes[2]?.op === "u" && changes[2]?.before !== null,
        ),
      ).to.equal(true);
      // The snapshot's marks in the order the connector reads the tables: first, …, last of stores, first of products, …, last.
      const marks = (all: Line[]): string[] =>
        all
          .filter((l) => l.value.payload.op === "r")
          .map((l) => `${l.topic} ${l.value.payload.source.snapshot}`)
          .filter((m) => !m.endsWith(" true"));
      expect(marks(lines)).to.deep.equal(marks(expectedLines));
      expect(marks(expectedLines)).to.have.length(4);
      // The schema part: every topic's key and value schemas, field by field, as Debezium's own.
      const mine = schemasOf(expectedLines);
      const theirs = schemasOf(lines);
      expect([...mine.keys()].sort()).to.deep.equal([...theirs.keys()].sort());
      for (const [topic, schemas] of theirs) expect(mine.get(topic), topic).to.deep.equal(schemas);
    } finally {
      capture.stdin.end();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (capture.exitCode === null) capture.kill("SIGKILL");
    }
  });
});
