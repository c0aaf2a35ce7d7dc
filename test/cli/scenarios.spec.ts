import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Envelope } from "../../src/wire/envelope.js";
import { ROOT, isPrimaryValue, jsonLines, requireBuild, runCli } from "../support/cli.js";

describe("retail-stream scenarios (CLI)", () => {
  before(requireBuild);

  it("should list the built-in scenarios", () => {
    const result = runCli(["--list-scenarios"]);
    expect(result.status).to.equal(0);
    expect(
      result.stdout
        .split("\n")
        .map((l) => l.split(" ")[0])
        .filter(Boolean),
    ).to.deep.equal(["black-friday", "weekday", "weekend"]);
  });

  it("should skip, with a warning, a scenario's happenings that ended before a live run starts, instead of firing them all at once", () => {
    // A scenario dated on its own days (as a user's file may be), all before the run.
    const bf = JSON.parse(readFileSync(join(ROOT, "data/scenarios/black-friday.json"), "utf8")) as {
      flashSales: Array<{ at: string }>;
      surges: Array<{ at: string }>;
      curve: { dates: unknown };
    };
    bf.flashSales[0] = { ...bf.flashSales[0], at: "2026-11-27T19:00:00Z" };
    bf.surges[0] = { ...bf.surges[0], at: "2026-11-27T12:00:00Z" };
    bf.curve.dates = { "2026-11-27": 3 };
    const file = join(mkdtempSync(join(tmpdir(), "rs-bf-")), "black-friday-2026.json");
    writeFileSync(file, JSON.stringify(bf));
    const result = runCli([
      "--scenario",
      file,
      "--count",
      "3",
      "--speed",
      "1000000",
      "--start-time",
      "2026-11-29T12:00:00Z",
      "--seed",
      "1",
      "--sink",
      "stdout",
    ]);
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr).to.match(
      /flash sale on Electronics at 2026-11-27T19:00:00Z is outside the run \(2026-11-29T12:00:00.000Z → no end\); skipped/,
    );
    expect(result.stderr).to.match(/summary: 3 primary events/);
    const lines = jsonLines<Envelope>(result.stdout);
    expect(
      lines.filter((l) => l.value.event_type === "price_change" && l.value.reason.startsWith("flash_sale")),
    ).to.deep.equal([]);
    // Three primary events and what they caused, no burst of skipped happenings.
    expect(lines.filter((l) => l.value.event_type !== undefined && isPrimaryValue(l.value))).to.have.length(3);
  });

  it("should backfill Black Friday on the run's first day with its uplift, and replay it byte for byte", () => {
    const args = [
      "--scenario",
      "black-friday",
      "--from",
      "2026-11-26T00:00:00Z",
      "--to",
      "2026-11-28T00:00:00Z",
      "--seed",
      "5",
      "--sink",
      "stdout",
    ];
    const first = runCli(args);
    expect(first.status).to.equal(0, first.stderr);
    expect(runCli(args).stdout).to.equal(first.stdout);
    const lines = jsonLines<Envelope>(first.stdout);
    const onDay = (of: Envelope[], day: number) =>
      of.filter((l) => l.value.event_type === "sale" && new Date(l.timestamp).getUTCDate() === day).length;
    // Dated by days of the run: the first day (26 November here) has the uplift; the same days of a plain weekend do not.
    const plain = jsonLines<Envelope>(runCli([...args.slice(0, 1), "weekend", ...args.slice(2)]).stdout);
    expect(onDay(lines, 26) / onDay(plain, 26)).to.be.above(2.2);
    const flash = lines.filter((l) => l.value.event_type === "price_change" && l.value.reason === "flash_sale");
    expect(flash.length).to.be.above(0);
    // With the first tick at or after 19:00Z on the run's first day.
    expect(
      flash.every(
        (l) => l.value.event_time >= "2026-11-26T19:00:00.000Z" && l.value.event_time < "2026-11-26T20:00:00.000Z",
      ),
      flash[0]?.value.event_time,
    ).to.equal(true);
  });

  it("should chart a scenario's events per hour as an SVG", () => {
    const out = join(mkdtempSync(join(tmpdir(), "rs-profile-")), "week.svg");
    const result = runCli([
      "profile",
      "--scenario",
      "weekend",
      "--from",
      "2026-02-02T00:00:00Z",
      "--to",
      "2026-02-09T00:00:00Z",
      "--seed",
      "2",
      "--out",
      out,
    ]);
    expect(result.status).to.equal(0, result.stderr);
    const svg = readFileSync(out, "utf8");
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect /g)?.length).to.be.above(24 * 7);
    expect(result.stderr).to.match(/wrote .*week.svg: \d+ events over 168 hours/);
    // The legend's labels do not overlap (about 6 px a character at font size 10), each row within the chart.
    const labels = [
      ...svg.matchAll(
        /<rect x="(\d+)" y="(\d+)" width="10" height="10" fill="[^"]+"\/><text x="\d+" y="\d+" font-size="10">([^<]+)<\/text>/g,
      ),
    ].map(([, x, y, text]) => ({ x: Number(x), y: Number(y), end: Number(x) + 14 + (text as string).length * 6 }));
    // One per series: sales and visits by channel, inventory, prices, alerts, payments, order changes, returns.
    expect(labels).to.have.length(10);
    for (const [i, label] of labels.entries()) {
      const next = labels[i + 1];
      if (next !== undefined && next.y === label.y) expect(next.x, JSON.stringify(labels)).to.be.at.least(label.end);
      expect(label.end).to.be.at.most(960);
    }
    // The y axis has round ticks from 0 up to the busiest hour.
    const ticks = [...svg.matchAll(/text-anchor="end">(\d+)<\/text>/g)].map(([, n]) => Number(n));
    expect(ticks[0]).to.equal(0);
    expect(ticks.length).to.be.within(4, 11);
    const step = (ticks[1] as number) - (ticks[0] as number);
    expect(String(step)).to.match(/^[125]0*$/);
    expect(ticks.every((n, i) => n === i * step)).to.equal(true);
  });

  it("should take only the flags that shape the chart", () => {
    const help = runCli(["profile", "--help"]).stdout;
    for (const flag of ["--scenario", "--from", "--to", "--seed", "--out", "--data"]) expect(help).to.include(flag);
    for (const flag of ["--brokers", "--sink", "--transactional-id", "--http", "--faults", "--max-in-flight"])
      expect(help).to.not.include(flag);
    expect(runCli(["profile", "--from", "2026-01-01", "--to", "2026-01-02", "--brokers", "x:1"]).stderr).to.match(
      /Unknown argument: brokers/,
    );
  });
});
