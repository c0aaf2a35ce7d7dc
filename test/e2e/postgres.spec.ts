import { expect } from "chai";
import { spawn } from "node:child_process";
import { BIN, ROOT, jsonLines, requireBuild, runCli } from "../support/cli.js";
import { until } from "../support/poll.js";
import { BROKERS, consumeAll, freshTopics, totalsOf } from "../support/kafka.js";
import { POSTGRES, freshDatabase, query } from "../support/postgres.js";

const RUN = ["--schema-version", "2", "--seed", "11", "--from", "2026-11-02T12:00:00Z", "--to", "2026-11-02T18:00:00Z", "--log-level", "info"];
const cents = (amount: unknown): number => Math.round(Number(amount) * 100);

interface Line { topic: string; value: Record<string, unknown> }

/** The local PostgreSQL (make postgres-up): the chain written as a shop's database, checked against the stdout stream of the same seed. */
describe("PostgreSQL as the target (--sink postgres)", function () {
  this.timeout(300_000);
  before(requireBuild);

  it("should write stores, products, orders with their lines, movements, visits and alerts, and stock and prices in place, all as the stream of the same seed says", async () => {
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
    const [counts] = await query<Record<string, string>>(url, `SELECT (SELECT count(*) FROM retail.stores) AS stores, (SELECT count(*) FROM retail.products) AS products,
      (SELECT count(*) FROM retail.orders) AS orders, (SELECT count(*) FROM retail.order_lines) AS lines, (SELECT count(*) FROM retail.inventory_movements) AS movements,
      (SELECT count(*) FROM retail.price_changes) AS price_changes, (SELECT count(*) FROM retail.customer_visits) AS visits, (SELECT count(*) FROM retail.restock_alerts) AS alerts`);
    expect(counts).to.deep.equal({
      stores: "21", products: "500", orders: String(new Set(sales.map((s) => s.transaction_id)).size), lines: String(sales.length),
      movements: String(of("inventory_update").length), price_changes: String(of("price_change").length), visits: String(of("customer_event").length), alerts: String(of("restock_alert").length),
    });

    // Every order's total is the sum of its lines, to the cent, and each line its sale.
    const orders = await query<{ transaction_id: string; total: string; line_count: number }>(url, "SELECT transaction_id, total, line_count FROM retail.orders");
    const expected = new Map<string, number>();
    for (const sale of sales) expected.set(sale.transaction_id as string, (expected.get(sale.transaction_id as string) ?? 0) + cents(sale.total_amount));
    expect(new Map(orders.map((o) => [o.transaction_id, cents(o.total)]))).to.deep.equal(expected);

    // The stock in place is the ledger: each store × product's last stock_after.
    const ledger = new Map<string, number>();
    for (const update of of("inventory_update")) ledger.set(`${update.store_id}/${update.product_id}`, update.stock_after as number);
    const stock = await query<{ cell: string; quantity: number }>(url, "SELECT store_id || '/' || product_id AS cell, quantity FROM retail.stock");
    expect(new Map(stock.map((s) => [s.cell, s.quantity]))).to.deep.equal(ledger);

    // Prices in place: each changed cell's last new price.
    const shelf = new Map<string, number>();
    for (const change of of("price_change")) shelf.set(`${change.store_id}/${change.product_id}`, cents(change.new_price));
    const prices = await query<{ cell: string; price: string }>(url, "SELECT store_id || '/' || product_id AS cell, price FROM retail.prices");
    expect(new Map(prices.map((p) => [p.cell, cents(p.price)]))).to.deep.equal(shelf);

    // No sale without its decrement: every line's movement is there.
    const [orphans] = await query<{ n: string }>(url, "SELECT count(*) AS n FROM retail.order_lines l LEFT JOIN retail.inventory_movements m ON m.source_event_id = l.event_id WHERE m.event_id IS NULL");
    expect(orphans?.n).to.equal("0");
    const [identity] = await query<{ n: string }>(url, "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'retail' AND c.relkind = 'r' AND c.relreplident = 'f'");
    // The ten tables of the chain (schema_info aside) give change data capture whole rows.
    expect(Number(identity?.n)).to.equal(10);
  });

  it("should, killed with SIGKILL three times and resumed each time, leave exactly the database of one uninterrupted run", async () => {
    // 1 ms between events at 1000x: each event its own time, and a run long enough to kill by progress.
    const run = ["--count", "60000", "--min-delta", "0.001", "--max-delta", "0.001", "--speed", "1000", "--seed", "31", "--start-time", "2026-11-27T15:00:00Z", "--log-level", "warn"];
    const crashed = await freshDatabase("e2e_crash");
    const flags = ["--sink", "postgres", "--postgres", crashed, "--transactional-id", "crash-run", "--resume", ...run];
    const committed = async (): Promise<number> =>
      Number((await query<{ records: string }>(crashed, "SELECT records FROM retail.run_position WHERE run_id = 'crash-run'").catch(() => []))[0]?.records ?? 0);
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
    expect(last.stderr).to.match(/--resume: checkpoint of crash-run: \d+ records \(\d+ primary events\) committed up to/);
    const clean = await freshDatabase("e2e_clean");
    expect(runCli(["--sink", "postgres", "--postgres", clean, ...run]).status).to.equal(0);
    // Table by table, the same rows: nothing missing, nothing twice.
    for (const table of ["orders", "order_lines", "inventory_movements", "price_changes", "customer_visits", "restock_alerts", "stock", "prices", "stores", "products"]) {
      const rows = async (url: string): Promise<string[]> => (await query<{ row: string }>(url, `SELECT t::text AS row FROM retail.${table} t ORDER BY 1`)).map((r) => r.row);
      const [a, b] = [await rows(crashed), await rows(clean)];
      expect(a.length, table).to.equal(b.length);
      expect(a, table).to.deep.equal(b);
    }
    const [position] = await query<{ records: string }>(crashed, "SELECT records FROM retail.run_position WHERE run_id = 'crash-run'");
    expect(Number(position?.records)).to.be.above(60_000);
  });

  it("should refuse duplicate submissions by their keys and count them, the database as it is without them", async () => {
    const run = ["--seed", "5", "--count", "3000", "--min-delta", "0", "--max-delta", "0", "--start-time", "2026-11-02T18:30:00Z", "--log-level", "info"];
    const faulted = await freshDatabase("e2e_dup");
    const result = runCli(["--sink", "postgres", "--postgres", faulted, ...run, "--faults", "duplicate=0.05"]);
    expect(result.status, result.stderr.slice(-1500)).to.equal(0);
    const refused = Number(/PostgreSQL: (\d+) duplicate submissions refused by their keys/.exec(result.stderr)?.[1] ?? 0);
    expect(refused).to.be.above(100);
    const clean = await freshDatabase("e2e_nodup");
    expect(runCli(["--sink", "postgres", "--postgres", clean, ...run]).status).to.equal(0);
    for (const table of ["orders", "order_lines", "inventory_movements", "stock", "prices", "customer_visits"]) {
      const rows = async (url: string): Promise<string[]> => (await query<{ row: string }>(url, `SELECT t::text AS row FROM retail.${table} t ORDER BY 1`)).map((r) => r.row);
      expect(await rows(faulted), table).to.deep.equal(await rows(clean));
    }
  });

  it("should write Kafka and the database in one run: every event to its topic, the same chain into the tables", async () => {
    const url = await freshDatabase("e2e_both");
    const { args, names } = freshTopics("e2e-both");
    // Schema version 1: the database still gets the stores and products, Kafka (without reference topics in version 1) does not.
    const run = runCli(["--postgres", url, "--brokers", BROKERS, ...args, "--seed", "11", "--count", "300", "--min-delta", "0", "--max-delta", "0", "--start-time", "2026-11-02T18:30:00Z", "--log-level", "info"]);
    expect(run.status, run.stderr.slice(-1500)).to.equal(0);
    expect(run.stderr).to.match(/kafka: produced \d+, delivered \d+, failed 0/).and.match(/postgres: produced \d+, delivered \d+, failed 0/);
    const consumed = await consumeAll(Object.values(names));
    const sales = consumed.filter((m) => m.topic === names.sale).map((m) => m.value);
    expect(sales.length).to.be.above(100);
    const [row] = await query<{ lines: string; movements: string; stores: string }>(url, "SELECT (SELECT count(*) FROM retail.order_lines) AS lines, (SELECT count(*) FROM retail.inventory_movements) AS movements, (SELECT count(*) FROM retail.stores) AS stores");
    expect(row).to.deep.equal({ lines: String(sales.length), movements: String(consumed.filter((m) => m.topic === names.inventory_update).length), stores: "21" });
  });

  it("should end in one line, before writing anything, on refused credentials, an unreachable server, missing tables under --create-tables never, and a table of another shape", async () => {
    const url = await freshDatabase("e2e_bad");
    const badPassword = runCli(["--sink", "postgres", "--postgres", url.replace("retail:retail@", "retail:not-the-password@"), ...RUN]);
    expect(badPassword.status).to.equal(1);
    expect(badPassword.stderr.trim().split("\n")).to.have.length(1);
    expect(badPassword.stderr).to.match(/^retail-stream: PostgreSQL at postgres:\/\/retail:\*\*\*@127\.0\.0\.1:\d+\/e2e_bad_\w+ refused the credentials: check the user and password/).and.not.include("not-the-password");

    const unreachable = runCli(["--sink", "postgres", "--postgres", "postgres://retail:retail@127.0.0.1:1/retail", ...RUN]);
    expect(unreachable.status).to.equal(1);
    expect(unreachable.stderr.trim()).to.match(/^retail-stream: cannot reach PostgreSQL at postgres:\/\/retail:\*\*\*@127\.0\.0\.1:1\/retail \(ECONNREFUSED\)$/);

    const never = runCli(["--sink", "postgres", "--postgres", url, "--create-tables", "never", ...RUN]);
    expect(never.status).to.equal(1);
    expect(never.stderr.trim()).to.match(/^retail-stream: the database has no retail\.schema_info: make the tables/);

    // A table of another shape: stock's quantity as text.
    await query(url, "CREATE SCHEMA retail");
    await query(url, "CREATE TABLE retail.schema_info (version integer PRIMARY KEY); INSERT INTO retail.schema_info VALUES (1)");
    await query(url, "CREATE TABLE retail.stock (store_id text, product_id text, quantity text, updated_at timestamptz, PRIMARY KEY (store_id, product_id))");
    const shape = runCli(["--sink", "postgres", "--postgres", url, ...RUN]);
    expect(shape.status).to.equal(1);
    expect(shape.stderr.trim()).to.match(/^retail-stream: table retail\.stock has another shape: column quantity should be integer, it is text$/);
    const [written] = await query<{ n: string }>(url, "SELECT count(*) AS n FROM retail.stock");
    expect(written?.n).to.equal("0");
    expect(POSTGRES).to.match(/^postgres:/);
  });
});
