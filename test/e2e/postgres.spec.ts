import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, jsonLines, requireBuild, runCli } from "../support/cli.js";
import { until } from "../support/poll.js";
import { BROKERS, consumeAll, freshTopics, totalsOf } from "../support/kafka.js";
import { POSTGRES, freshDatabase, query } from "../support/postgres.js";

const RUN = ["--seed", "11", "--from", "2026-11-02T12:00:00Z", "--to", "2026-11-02T18:00:00Z", "--log-level", "info"];
const cents = (amount: unknown): number => Math.round(Number(amount) * 100);

interface Line {
  topic: string;
  value: Record<string, unknown>;
}

/** The local PostgreSQL (make postgres-up): the chain written as a shop's database, checked against the stdout stream of the same seed. */
describe("PostgreSQL as the target (--sink postgres)", function () {
  this.timeout(300_000);
  before(requireBuild);

  it("should write stores, products, orders with their lines and status, movements, visits, payments, status changes, returns and alerts, and stock and prices in place, all as the stream of the same seed says", async () => {
    const url = await freshDatabase("e2e_chain");
    const run = runCli(["--sink", "postgres", "--postgres", url, ...RUN]);
    expect(run.status, run.stderr.slice(-1500)).to.equal(0);
    const totals = totalsOf(run.stderr);
    expect(totals).to.deep.include({ failed: 0, delivered: totals.produced });
    expect(run.stderr).to.include("postgres://retail:***@");
    expect(run.stderr).to.not.include(":retail@");

    const stream = (jsonLines(runCli(["--sink", "stdout", ...RUN]).stdout) as Line[]).map((l) => l.value);
    const of = (type: string): Array<Record<string, unknown>> => stream.filter((e) => e.event_type === type);
    const sales = of("sale");
    const [counts] = await query<Record<string, string>>(
      url,
      `SELECT (SELECT count(*) FROM retail.stores) AS stores, (SELECT count(*) FROM retail.products) AS products,
      (SELECT count(*) FROM retail.orders) AS orders, (SELECT count(*) FROM retail.order_lines) AS lines, (SELECT count(*) FROM retail.inventory_movements) AS movements,
      (SELECT count(*) FROM retail.price_changes) AS price_changes, (SELECT count(*) FROM retail.customer_visits) AS visits, (SELECT count(*) FROM retail.restock_alerts) AS alerts,
      (SELECT count(*) FROM retail.payments) AS payments, (SELECT count(*) FROM retail.order_status_changes) AS status_changes, (SELECT count(*) FROM retail.returns) AS returns`,
    );
    expect(counts).to.deep.equal({
      stores: "21",
      products: "500",
      orders: String(new Set(sales.map((s) => s.transaction_id)).size),
      lines: String(sales.length),
      movements: String(of("inventory_update").length),
      price_changes: String(of("price_change").length),
      visits: String(of("customer_event").length),
      alerts: String(of("restock_alert").length),
      payments: String(of("payment").length),
      status_changes: String(of("order_status").length),
      returns: String(of("return").length),
    });
    expect(of("order_status").length).to.be.above(30);

    // An online order's status in place is its last change in the stream; a till's checkout has none.
    const statusOf = new Map<string, string | null>(
      [...new Set(sales.map((s) => s.transaction_id as string))].map((tx) => [tx, null]),
    );
    for (const change of of("order_status")) statusOf.set(change.order_id as string, change.status as string);
    const statuses = await query<{ transaction_id: string; status: string | null }>(
      url,
      "SELECT transaction_id, status FROM retail.orders",
    );
    expect(new Map(statuses.map((o) => [o.transaction_id, o.status]))).to.deep.equal(statusOf);
    // Payments at their amounts, declines with their reasons; returns at their refunds.
    const payments = await query<{ payment_id: string; amount: string; decline_reason: string | null }>(
      url,
      "SELECT payment_id, amount, decline_reason FROM retail.payments",
    );
    expect(new Map(payments.map((p) => [p.payment_id, `${cents(p.amount)} ${p.decline_reason}`]))).to.deep.equal(
      new Map(of("payment").map((p) => [p.payment_id, `${cents(p.amount)} ${String(p.decline_reason ?? null)}`])),
    );
    const returns = await query<{ return_id: string; refund_amount: string }>(
      url,
      "SELECT return_id, refund_amount FROM retail.returns",
    );
    expect(new Map(returns.map((r) => [r.return_id, cents(r.refund_amount)]))).to.deep.equal(
      new Map(of("return").map((r) => [r.return_id, cents(r.refund_amount)])),
    );

    // Every order's total is the sum of its lines, to the cent, and each line its sale.
    const orders = await query<{ transaction_id: string; total: string; line_count: number }>(
      url,
      "SELECT transaction_id, total, line_count FROM retail.orders",
    );
    const expected = new Map<string, number>();
    for (const sale of sales)
      expected.set(
        sale.transaction_id as string,
        (expected.get(sale.transaction_id as string) ?? 0) + cents(sale.total_amount),
      );
    expect(new Map(orders.map((o) => [o.transaction_id, cents(o.total)]))).to.deep.equal(expected);

    // The stock in place is the ledger: each store × product's last stock_after.
    const ledger = new Map<string, number>();
    for (const update of of("inventory_update"))
      ledger.set(`${update.store_id}/${update.product_id}`, update.stock_after as number);
    const stock = await query<{ cell: string; quantity: number }>(
      url,
      "SELECT store_id || '/' || product_id AS cell, quantity FROM retail.stock",
    );
    expect(new Map(stock.map((s) => [s.cell, s.quantity]))).to.deep.equal(ledger);

    // Prices in place: each changed cell's last new price.
    const shelf = new Map<string, number>();
    for (const change of of("price_change"))
      shelf.set(`${change.store_id}/${change.product_id}`, cents(change.new_price));
    const prices = await query<{ cell: string; price: string }>(
      url,
      "SELECT store_id || '/' || product_id AS cell, price FROM retail.prices",
    );
    expect(new Map(prices.map((p) => [p.cell, cents(p.price)]))).to.deep.equal(shelf);

    // No sale without its decrement: every line's movement is there.
    const [orphans] = await query<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM retail.order_lines l LEFT JOIN retail.inventory_movements m ON m.source_event_id = l.event_id WHERE m.event_id IS NULL",
    );
    expect(orphans?.n).to.equal("0");
    const [identity] = await query<{ n: string }>(
      url,
      "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'retail' AND c.relkind = 'r' AND c.relreplident = 'f'",
    );
    // The thirteen tables of the chain (schema_info aside) give change data capture whole rows.
    expect(Number(identity?.n)).to.equal(13);
  });

  it("should hold four days after the till as the stream says: payments, orders' status in place, returns and what they restock", async () => {
    // Quiet gaps (100–500 s), so four days of returns coming back and orders delivered stay small; paced (four days in
    // about 12 s), so the database writer is often idle and commits small transactions as records come.
    const run = [
      "--seed",
      "11",
      "--start-time",
      "2026-11-02T00:00:00Z",
      "--duration",
      "5760",
      "--speed",
      "30000",
      "--min-delta",
      "100",
      "--max-delta",
      "500",
    ];
    const url = await freshDatabase("e2e_aftercare");
    const written = runCli(["--sink", "postgres", "--postgres", url, ...run]);
    expect(written.status, written.stderr.slice(-1500)).to.equal(0);
    const capture = join(mkdtempSync(join(tmpdir(), "verify-pg-")), "stream.jsonl");
    const stream = runCli(["--sink", "stdout", ...run]).stdout;
    writeFileSync(capture, stream);
    const verified = runCli(["verify", "--postgres", url, "--input", capture]);
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/^ {2}ok {3}stream .* each in its table once with its values, nothing else$/m);
    const events = (jsonLines(stream) as Line[]).map((l) => l.value);
    const returns = events.filter((e) => e.event_type === "return");
    expect(returns.length).to.be.above(10);
    const [row] = await query<{ returns: string; restocked: string; delivered: string }>(
      url,
      `SELECT (SELECT count(*) FROM retail.returns) AS returns,
      (SELECT coalesce(sum(quantity_change), 0) FROM retail.inventory_movements WHERE reason = 'return') AS restocked,
      (SELECT count(*) FROM retail.orders WHERE status = 'delivered') AS delivered`,
    );
    expect(Number(row?.returns)).to.equal(returns.length);
    const restocked = events
      .filter((e) => e.event_type === "inventory_update" && e.reason === "return")
      .reduce((sum, e) => sum + (e.quantity_change as number), 0);
    expect(Number(row?.restocked)).to.equal(restocked);
    const finals = new Map<string, unknown>();
    for (const e of events) if (e.event_type === "order_status") finals.set(e.order_id as string, e.status);
    expect(Number(row?.delivered)).to.equal([...finals.values()].filter((s) => s === "delivered").length);
    expect(Number(row?.delivered)).to.be.above(10);
    // Each in the transaction of the stock it moves: a return and its restock, a refunded order and its lines back
    // in stock, a checkout's approved payment and its lines.
    const [split] = await query<{ returns: string; refunds: string; payments: string; pairs: string }>(
      url,
      `SELECT (SELECT count(*) FROM retail.returns r JOIN retail.inventory_movements m ON m.source_event_id = r.event_id WHERE r.xmin <> m.xmin) AS returns,
      (SELECT count(*) FROM retail.order_status_changes c JOIN retail.inventory_movements m ON m.source_event_id = c.event_id WHERE c.xmin <> m.xmin) AS refunds,
      (SELECT count(*) FROM retail.payments p JOIN retail.order_lines l ON l.transaction_id = p.transaction_id WHERE p.status = 'approved' AND p.xmin <> l.xmin) AS payments,
      (SELECT count(*) FROM retail.returns r JOIN retail.inventory_movements m ON m.source_event_id = r.event_id) AS pairs`,
    );
    expect(Number(split?.pairs)).to.be.above(10);
    expect(split).to.deep.include({ returns: "0", refunds: "0", payments: "0" });
  });

  it("should, killed with SIGKILL three times and resumed each time, leave exactly the database of one uninterrupted run", async () => {
    // 1 ms between events at 1000x: each event its own time, and a run long enough to kill by progress.
    const run = [
      "--count",
      "60000",
      "--min-delta",
      "0.001",
      "--max-delta",
      "0.001",
      "--speed",
      "1000",
      "--seed",
      "31",
      "--start-time",
      "2026-11-27T15:00:00Z",
      "--log-level",
      "warn",
    ];
    const crashed = await freshDatabase("e2e_crash");
    const flags = ["--sink", "postgres", "--postgres", crashed, "--transactional-id", "crash-run", "--resume", ...run];
    const committed = async (): Promise<number> =>
      Number(
        (
          await query<{ records: string }>(
            crashed,
            "SELECT records FROM retail.run_position WHERE run_id = 'crash-run'",
          ).catch(() => [])
        )[0]?.records ?? 0,
      );
    let kills = 0;
    // Each run killed once the database has a newer position than before it started (by progress, not by the clock).
    for (let i = 0; i < 3; i += 1) {
      const before = await committed();
      const child = spawn(process.execPath, [BIN, ...flags], { cwd: ROOT, stdio: "ignore" });
      const gone = new Promise<string | null>((resolve) => child.on("close", (_code, signal) => resolve(signal)));
      await until("a newer committed position", 60_000, async () => (await committed()) > before);
      child.kill("SIGKILL");
      if ((await gone) === "SIGKILL") kills += 1;
    }
    const last = runCli([...flags, "--log-level", "info"], { timeout: 240_000 });
    expect(last.status, last.stderr.slice(-1500)).to.equal(0);
    expect(kills).to.equal(3);
    // Nothing written twice: no fact row met one already there.
    expect(last.stderr).to.not.match(/already there/);
    expect(last.stderr).to.match(
      /--resume: checkpoint of crash-run: \d+ records \(\d+ primary events\) committed up to/,
    );
    const clean = await freshDatabase("e2e_clean");
    expect(runCli(["--sink", "postgres", "--postgres", clean, ...run]).status).to.equal(0);
    // Table by table, the same rows: nothing missing, nothing twice.
    for (const table of [
      "orders",
      "order_lines",
      "inventory_movements",
      "price_changes",
      "customer_visits",
      "restock_alerts",
      "stock",
      "prices",
      "stores",
      "products",
    ]) {
      const rows = async (url: string): Promise<string[]> =>
        (await query<{ row: string }>(url, `SELECT t::text AS row FROM retail.${table} t ORDER BY 1`)).map(
          (r) => r.row,
        );
      const [a, b] = [await rows(crashed), await rows(clean)];
      expect(a.length, table).to.equal(b.length);
      expect(a, table).to.deep.equal(b);
    }
    const [position] = await query<{ records: string }>(
      crashed,
      "SELECT records FROM retail.run_position WHERE run_id = 'crash-run'",
    );
    expect(Number(position?.records)).to.be.above(60_000);

    // verify --postgres: the crashed-and-resumed database against the seed's stream, every check passing ...
    const capture = join(mkdtempSync(join(tmpdir(), "verify-pg-")), "stream.jsonl");
    writeFileSync(capture, runCli(["--sink", "stdout", ...run], { timeout: 240_000 }).stdout);
    const verified = runCli(["verify", "--postgres", crashed, "--input", capture]);
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    for (const check of ["orders", "decrements", "ledger", "prices", "stream"])
      expect(verified.stdout).to.match(new RegExp(`^  ok   ${check} `, "m"));
    expect(verified.stdout).to.match(
      /ok {3}stream {5}\d+ events of the stream, each in its table once with its values, nothing else/,
    );
    // ... and a database one movement short, with one stock set wrong and one order line twice over, failing them by name.
    await query(
      clean,
      "DELETE FROM retail.inventory_movements WHERE event_id = (SELECT event_id FROM retail.inventory_movements WHERE reason = 'sale' ORDER BY moved_at LIMIT 1 OFFSET 500)",
    );
    await query(
      clean,
      "UPDATE retail.stock SET quantity = quantity + 1 WHERE (store_id, product_id) = (SELECT store_id, product_id FROM retail.stock ORDER BY 1, 2 LIMIT 1)",
    );
    await query(
      clean,
      "UPDATE retail.order_lines SET quantity = quantity * 2, total_amount = total_amount * 2 WHERE (transaction_id, line_number) = (SELECT transaction_id, line_number FROM retail.order_lines ORDER BY 1, 2 LIMIT 1)",
    );
    const broken = runCli(["verify", "--postgres", clean, "--input", capture]);
    expect(broken.status, broken.stdout + broken.stderr).to.equal(1);
    for (const check of ["orders", "decrements", "ledger", "stream"])
      expect(broken.stdout).to.match(new RegExp(`^  FAIL ${check} .*: \\d+ violations$`, "m"));
    expect(broken.stdout).to.match(/^verify: FAILED — \d+ violations in \d+ rows$/m);
  });

  it("should refuse duplicate submissions by their keys and count them, the database as it is without them", async () => {
    const run = [
      "--seed",
      "5",
      "--count",
      "3000",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--start-time",
      "2026-11-02T18:30:00Z",
      "--log-level",
      "info",
    ];
    const faulted = await freshDatabase("e2e_dup");
    const result = runCli(["--sink", "postgres", "--postgres", faulted, ...run, "--faults", "duplicate=0.05"]);
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    const refused = Number(
      /PostgreSQL: (\d+) duplicate submissions refused by their keys/.exec(result.stderr)?.[1] ?? 0,
    );
    expect(refused).to.be.above(100);
    const clean = await freshDatabase("e2e_nodup");
    expect(runCli(["--sink", "postgres", "--postgres", clean, ...run]).status).to.equal(0);
    for (const table of ["orders", "order_lines", "inventory_movements", "stock", "prices", "customer_visits"]) {
      const rows = async (url: string): Promise<string[]> =>
        (await query<{ row: string }>(url, `SELECT t::text AS row FROM retail.${table} t ORDER BY 1`)).map(
          (r) => r.row,
        );
      expect(await rows(faulted), table).to.deep.equal(await rows(clean));
    }
  });

  it("should take an offline store's orders late as one burst, late and duplicate records too, and still verify against the seed's stream", async () => {
    const run = [
      "--seed",
      "23",
      "--from",
      "2026-11-02T08:00:00Z",
      "--to",
      "2026-11-02T20:00:00Z",
      "--log-level",
      "info",
      "--faults",
      "offline=S003@2026-11-02T12:00:00Z+240m,late=0.03:10m,duplicate=0.02",
    ];
    const url = await freshDatabase("e2e_faults");
    const result = runCli(["--sink", "postgres", "--postgres", url, ...run]);
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    expect(result.stderr).to.match(/PostgreSQL: \d+ duplicate submissions refused by their keys/);
    // Orders in the order they were inserted (their first lines, in an append-only table's physical order: an online
    // order's row moves as its status is updated): the offline store's orders of its four hours (checkouts of several
    // lines: fewer orders than lines) come one after another, a burst, after every other store's order up to its
    // reconnection (up to 15 min before it: a late record is at most 10 min late).
    const orders = await query<{ store_id: string; offline: boolean; before_reconnect: boolean }>(
      url,
      `SELECT o.store_id,
      o.ordered_at >= '2026-11-02T12:00:00Z' AND o.ordered_at < '2026-11-02T16:00:00Z' AND o.store_id = 'S003' AS offline,
      o.ordered_at < '2026-11-02T15:45:00Z' AS before_reconnect
      FROM retail.order_lines l JOIN retail.orders o USING (transaction_id) WHERE l.line_number = 1 ORDER BY l.ctid`,
    );
    const burst = orders.flatMap((o, i) => (o.offline ? [i] : []));
    expect(burst.length).to.be.above(3);
    expect(burst[burst.length - 1]! - burst[0]!, "the offline store's orders one after another").to.equal(
      burst.length - 1,
    );
    const lastOther = orders.reduce((last, o, i) => (!o.offline && o.before_reconnect ? i : last), -1);
    expect(burst[0], "the offline store's orders after the others' up to its reconnection").to.be.above(lastOther);
    // The database as the stream says, faults and all: stock and prices at their last change by time, not set back by late ones.
    const capture = join(mkdtempSync(join(tmpdir(), "verify-pg-")), "stream.jsonl");
    writeFileSync(capture, runCli(["--sink", "stdout", ...run]).stdout);
    const verified = runCli(["verify", "--postgres", url, "--input", capture]);
    expect(verified.status, verified.stdout + verified.stderr).to.equal(0);
    expect(verified.stdout).to.match(/^ {2}ok {3}ledger .* stock holds each one's last$/m);

    // Dense and late: many records of one store × product within a minute, 5% up to a minute late. A late change
    // stays in its fact table but does not set stock or price back (without that guard, dozens of cells do).
    const dense = [
      "--seed",
      "7",
      "--count",
      "4000",
      "--min-delta",
      "0.001",
      "--max-delta",
      "0.002",
      "--start-time",
      "2026-11-02T18:30:00Z",
      "--faults",
      "late=0.05:1m",
    ];
    const denseUrl = await freshDatabase("e2e_late");
    expect(runCli(["--sink", "postgres", "--postgres", denseUrl, ...dense]).status).to.equal(0);
    writeFileSync(capture, runCli(["--sink", "stdout", ...dense]).stdout);
    const late = runCli(["verify", "--postgres", denseUrl, "--input", capture]);
    expect(late.status, late.stdout).to.equal(0);
  });

  it("should commit at a live pace as records come, wait for a database that goes away mid-run, and finish with nothing lost or twice", async () => {
    // 200 events a second for 30 s of wall time: the server is stopped once rows are there, and started again once the run says it waits.
    const run = [
      "--seed",
      "29",
      "--count",
      "6000",
      "--min-delta",
      "0.005",
      "--max-delta",
      "0.005",
      "--start-time",
      "2026-11-02T18:30:00Z",
    ];
    const url = await freshDatabase("e2e_outage");
    const child = spawn(
      process.execPath,
      [BIN, "--sink", "postgres", "--postgres", url, ...run, "--log-level", "info"],
      { cwd: ROOT },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const orders = async (): Promise<number> =>
      Number((await query<{ n: string }>(url, "SELECT count(*) AS n FROM retail.orders"))[0]?.n ?? 0);
    // Records commit as they come at this pace, not once a batch fills: orders are there within seconds.
    const early = await until("orders committed while the run goes on", 20_000, async () =>
      (await orders()) > 0 ? orders() : false,
    );
    try {
      execFileSync(join(ROOT, "scripts/postgres-down.sh"), { stdio: "ignore" });
      await until("the run to say it waits for the database", 20_000, () =>
        /PostgreSQL at postgres:\/\/retail:\*\*\*@[^ ]+ went away \(\w+\); waiting up to 60 s for it/.test(stderr),
      );
    } finally {
      execFileSync(join(ROOT, "scripts/postgres-up.sh"), { stdio: "ignore" });
    }
    expect(await done, stderr.slice(-1500)).to.equal(0);
    expect(stderr).to.match(/is back; writing again/);
    const totals = totalsOf(stderr);
    expect(totals).to.deep.include({ failed: 0, delivered: totals.produced, primary: 6000 });
    expect(early).to.be.below(await orders());
    // Nothing lost, nothing twice: the database verifies against the seed's stream.
    const capture = join(mkdtempSync(join(tmpdir(), "verify-pg-")), "stream.jsonl");
    writeFileSync(capture, runCli(["--sink", "stdout", ...run, "--speed", "1000"]).stdout);
    const verified = runCli(["verify", "--postgres", url, "--input", capture]);
    expect(verified.status, verified.stdout).to.equal(0);
  });

  it("should write Kafka and the database in one run: every event to its topic, the same chain into the tables", async () => {
    const url = await freshDatabase("e2e_both");
    const { args, names } = freshTopics("e2e-both");
    // Schema version 1: the database still gets the stores and products, Kafka (without reference topics in version 1) does not.
    const run = runCli([
      "--postgres",
      url,
      "--brokers",
      BROKERS,
      ...args,
      "--seed",
      "11",
      "--count",
      "300",
      "--min-delta",
      "0",
      "--max-delta",
      "0",
      "--start-time",
      "2026-11-02T18:30:00Z",
      "--log-level",
      "info",
    ]);
    expect(run.status, run.stderr.slice(-1500)).to.equal(0);
    expect(run.stderr)
      .to.match(/kafka: produced \d+, delivered \d+, failed 0/)
      .and.match(/postgres: produced \d+, delivered \d+, failed 0/);
    const consumed = await consumeAll(Object.values(names));
    const sales = consumed.filter((m) => m.topic === names.sale).map((m) => m.value);
    expect(sales.length).to.be.above(100);
    const [row] = await query<{ lines: string; movements: string; stores: string }>(
      url,
      "SELECT (SELECT count(*) FROM retail.order_lines) AS lines, (SELECT count(*) FROM retail.inventory_movements) AS movements, (SELECT count(*) FROM retail.stores) AS stores",
    );
    expect(row).to.deep.equal({
      lines: String(sales.length),
      movements: String(consumed.filter((m) => m.topic === names.inventory_update).length),
      stores: "21",
    });
  });

  it("should end in one line, before writing anything, on refused credentials, an unreachable server, missing tables under --create-tables never, and a table of another shape", async () => {
    const url = await freshDatabase("e2e_bad");
    const badPassword = runCli([
      "--sink",
      "postgres",
      "--postgres",
      url.replace("retail:retail@", "retail:not-the-password@"),
      ...RUN,
    ]);
    expect(badPassword.status).to.equal(1);
    expect(badPassword.stderr.trim().split("\n")).to.have.length(1);
    expect(badPassword.stderr)
      .to.match(
        /^retail-stream: PostgreSQL at postgres:\/\/retail:\*\*\*@127\.0\.0\.1:\d+\/e2e_bad_\w+ refused the credentials: check the user and password/,
      )
      .and.not.include("not-the-password");

    const unreachable = runCli([
      "--sink",
      "postgres",
      "--postgres",
      "postgres://retail:retail@127.0.0.1:1/retail",
      ...RUN,
    ]);
    expect(unreachable.status).to.equal(1);
    expect(unreachable.stderr.trim()).to.match(
      /^retail-stream: cannot reach PostgreSQL at postgres:\/\/retail:\*\*\*@127\.0\.0\.1:1\/retail \(ECONNREFUSED\)$/,
    );

    const never = runCli(["--sink", "postgres", "--postgres", url, "--create-tables", "never", ...RUN]);
    expect(never.status).to.equal(1);
    expect(never.stderr.trim()).to.match(/^retail-stream: the database has no retail\.schema_info: make the tables/);

    // A table of another shape: stock's quantity as text.
    await query(url, "CREATE SCHEMA retail");
    await query(
      url,
      "CREATE TABLE retail.schema_info (version integer PRIMARY KEY); INSERT INTO retail.schema_info VALUES (1)",
    );
    await query(
      url,
      "CREATE TABLE retail.stock (store_id text, product_id text, quantity text, updated_at timestamptz, PRIMARY KEY (store_id, product_id))",
    );
    const shape = runCli(["--sink", "postgres", "--postgres", url, ...RUN]);
    expect(shape.status).to.equal(1);
    expect(shape.stderr.trim()).to.match(
      /^retail-stream: table retail\.stock has another shape: column quantity should be integer, it is text$/,
    );
    const [written] = await query<{ n: string }>(url, "SELECT count(*) AS n FROM retail.stock");
    expect(written?.n).to.equal("0");
    expect(POSTGRES).to.match(/^postgres:/);
  });
});
