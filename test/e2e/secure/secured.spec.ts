import { expect } from "chai";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, requireBuild, runCli, startCli } from "../../support/cli.js";
import {
  consumeAll,
  createTopics,
  freshTopics,
  readProperties,
  referenceRecords,
  totalsOf,
} from "../../support/kafka.js";

// The local secured broker (make kafka-up SECURITY=sasl_ssl) and the client settings it wrote.
const HOME = join(ROOT, ".kafka-secure");
const CLIENTS = join(HOME, "clients");
const BROKERS = "127.0.0.1:9192";
const file = (user: string): string => join(CLIENTS, `${user}.properties`);
const FAST = ["--min-delta", "0", "--max-delta", "0", "--seed", "5", "--log-level", "warn"];

/** A copy of a user's client file with some settings changed. */
function variant(user: string, changes: Record<string, string>): string {
  const path = join(tmpdir(), `rs-${user}-${Object.keys(changes).join("-")}.properties`);
  const lines = readFileSync(file(user), "utf8")
    .split("\n")
    .map((line) => {
      const key = line.split("=")[0] ?? "";
      return key in changes ? `${key}=${changes[key]}` : line;
    });
  writeFileSync(path, lines.join("\n"));
  return path;
}

describe("a secured cluster (SASL_SSL, SCRAM-SHA-512, ACLs)", function () {
  this.timeout(120_000);
  before(() => {
    requireBuild();
    if (!existsSync(file("writer")))
      throw new Error(`no secured broker: start it with make kafka-up SECURITY=sasl_ssl (${CLIENTS} is missing)`);
  });
  const reader = (): Record<string, string> => {
    const { "bootstrap.servers": _b, ...config } = readProperties(file("reader"));
    return config;
  };

  it("should produce with the settings of a --kafka-config file, every event read back by another principal", async () => {
    const { args, names } = freshTopics("e2e-secure-admin");
    const result = runCli(["--kafka-config", file("admin"), "--count", "2000", ...FAST, ...args]);
    expect(result.status, result.stderr).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    const consumed = await consumeAll(Object.values(names), 8000, { brokers: BROKERS, config: reader() });
    expect(new Set(consumed.map((m) => m.value.event_id)).size).to.equal(totals.delivered - referenceRecords());
  });

  it("should let a writer without CREATE run on topics that exist (--create-topics never)", async () => {
    const { args, names, reference } = freshTopics("e2e-secure-writer");
    const { "bootstrap.servers": _b, ...admin } = readProperties(file("admin"));
    await createTopics([...Object.values(names), reference.stores, reference.products], BROKERS, admin);
    const result = runCli([
      "--kafka-config",
      file("writer"),
      "--create-topics",
      "never",
      "--count",
      "1000",
      ...FAST,
      ...args,
    ]);
    expect(result.status, result.stderr).to.equal(0);
    const totals = totalsOf(result.stderr);
    expect(totals.failed).to.equal(0);
    const consumed = await consumeAll(Object.values(names), 8000, { brokers: BROKERS, config: reader() });
    expect(new Set(consumed.map((m) => m.value.event_id)).size).to.equal(totals.delivered - referenceRecords());
  });

  it("should say that CREATE is missing when a writer would have to create a topic", () => {
    const { args, names } = freshTopics("e2e-secure-nocreate");
    const result = runCli(["--kafka-config", file("writer"), "--count", "10", ...FAST, ...args]);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(
      new RegExp(`cannot create topic ${names.sale}: not authorized: the principal needs CREATE`),
    );
    expect(result.stdout).to.equal("");
  });

  it("should name an authentication failure within 5 s", () => {
    const started = Date.now();
    const result = runCli([
      "--kafka-config",
      variant("writer", { "sasl.password": "not-the-password" }),
      "--count",
      "10",
      ...FAST,
    ]);
    expect(Date.now() - started).to.be.below(5000);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(
      /^retail-stream: authentication failed at 127\.0\.0\.1:9192: check the user, password and SASL mechanism/m,
    );
  });

  it("should name a TLS failure when the broker's CA is not trusted", () => {
    const started = Date.now();
    const result = runCli([
      "--kafka-config",
      variant("writer", { "ssl.ca.location": join(HOME, "certs", "other-ca.pem") }),
      "--count",
      "10",
      ...FAST,
    ]);
    expect(Date.now() - started).to.be.below(5000);
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/^retail-stream: TLS failed at 127\.0\.0\.1:9192: check the CA/m);
  });

  it("should fail every record of a principal without WRITE, saying so once per topic", async () => {
    const { args, names, reference } = freshTopics("e2e-secure-nowrite");
    const { "bootstrap.servers": _b, ...admin } = readProperties(file("admin"));
    await createTopics([...Object.values(names), reference.stores, reference.products], BROKERS, admin);
    const result = runCli([
      "--kafka-config",
      file("reader"),
      "--create-topics",
      "never",
      "--count",
      "50",
      "--min-delta",
      "0.01",
      "--max-delta",
      "0.01",
      "--seed",
      "5",
      ...args,
    ]);
    expect(result.status).to.equal(1);
    const totals = totalsOf(result.stderr);
    expect(totals.delivered).to.equal(0);
    expect(totals.failed).to.equal(totals.produced).and.above(0);
    // The first failure of each topic is said (the summary at close counts the rest).
    const lines = result.stderr.split("\n").filter((l) => /not delivered to topic .*\(first: key/.test(l));
    const topics = lines.map((l) => /not delivered to topic (\S+):/.exec(l)?.[1]);
    expect(new Set(topics).size).to.equal(topics.length, "a topic's failure said more than once");
    expect(lines[0]).to.match(/needs WRITE/);
    expect([...Object.values(names), reference.stores, reference.products]).to.include(topics[0]);
  });

  it("should keep the password out of the command line and of every log line, debug included", async () => {
    const password = readProperties(file("writer"))["sasl.password"] as string;
    expect(password.length).to.be.above(8);
    const { args, names, reference } = freshTopics("e2e-secure-secret");
    const { "bootstrap.servers": _b, ...admin } = readProperties(file("admin"));
    await createTopics([...Object.values(names), reference.stores, reference.products], BROKERS, admin);
    const { child, done } = await startCli(
      [
        "--kafka-config",
        file("writer"),
        "--create-topics",
        "never",
        "--min-delta",
        "0.01",
        "--max-delta",
        "0.02",
        "--seed",
        "5",
        "--log-level",
        "debug",
        "-X",
        "debug=security,broker,conf",
        ...args,
      ],
      /Event #20:/,
    );
    const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, "utf8");
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status, result.stderr.slice(-1000)).to.equal(0);
    expect(commandLine).to.include("--kafka-config").and.not.include(password);
    expect(result.stderr.split("\n").length).to.be.above(50);
    expect(result.stderr).to.not.include(password);
  });

  it("should verify a run with the reader's --kafka-config (read_committed), and say in one line when a principal may not read", () => {
    const { args, names } = freshTopics("e2e-secure-verify");
    const truth = ["--truth", "--truth-topic", `${names.sale}-truth`];
    const run = runCli(["--kafka-config", file("admin"), "--count", "2000", ...FAST, ...args, ...truth]);
    expect(run.status, run.stderr).to.equal(0);
    const verify = (config: string): ReturnType<typeof runCli> =>
      runCli(
        ["verify", "--kafka-config", config, ...args, "--truth-topic", `${names.sale}-truth`, "--log-level", "warn"],
        { timeout: 60_000 },
      );
    const read = verify(file("reader"));
    expect(read.status, read.stdout + read.stderr).to.equal(0);
    expect(read.stdout).to.include(`verify: OK — ${totalsOf(run.stderr).delivered - referenceRecords()} records`);
    const denied = verify(file("writer"));
    expect(denied.status).to.equal(1);
    expect(denied.stderr.trim().split("\n")).to.have.length(1);
    expect(denied.stderr).to.match(/^retail-stream: .*(authori[sz]|not authorized)/im);
    const wrong = verify(variant("reader", { "sasl.password": "not-the-password" }));
    expect(wrong.status).to.equal(1);
    expect(wrong.stderr.trim()).to.match(/^retail-stream: authentication failed at 127.0.0.1:9192/);
    const password = readProperties(file("reader"))["sasl.password"] ?? "";
    expect(password.length).to.be.above(0);
    expect(read.stdout + read.stderr + denied.stderr).to.not.include(password);
  });
});
