import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { ROOT, jsonLines, requireBuild, runCli, startCli } from "../support/cli.js";

describe("packaging", function () {
  this.timeout(300_000);
  before(requireBuild);

  it("should pack, install into an empty folder, and run the CLI and the library from there", () => {
    const dir = mkdtempSync(join(tmpdir(), "rs-pack-"));
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .at(-1) as string;
    const files = execFileSync("tar", ["-tzf", join(dir, tarball)], { encoding: "utf8" });
    expect(files)
      .to.match(/package\/dist\/index\.js/)
      .and.match(/package\/data\/products\.json/)
      .and.match(/package\/data\/schemas\/sale\.v1\.json/);
    expect(files).to.not.match(/package\/test\//);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", type: "module" }));
    // Install scripts skipped: a stdout run and the library entry must not need librdkafka.
    execFileSync(
      "npm",
      ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", join(dir, tarball)],
      { cwd: dir, stdio: "ignore" },
    );
    // Installed, the command runs with the node flags of its #! line (a smaller young generation: less memory at full speed).
    const flags = spawnSync(
      "npx",
      ["--no-install", "retail-stream", "--sink", "stdout", "--count", "1", "--seed", "1", "--log-level", "debug"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(flags.status, flags.stderr).to.equal(0);
    expect(flags.stderr).to.match(/debug\s+node v\d+\S* --max-semi-space-size=4/);
    const help = spawnSync("npx", ["--no-install", "retail-stream", "--help"], { cwd: dir, encoding: "utf8" });
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/--continuous/);
    const run = spawnSync(
      "npx",
      [
        "--no-install",
        "retail-stream",
        "--sink",
        "stdout",
        "--count",
        "10",
        "--min-delta",
        "0",
        "--max-delta",
        "0",
        "--seed",
        "1",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(jsonLines(run.stdout).length).to.be.at.least(10);
    writeFileSync(
      join(dir, "use.mjs"),
      [
        'import { SeededRng, SimulatedScheduler, retailEvents$, sampleChain, DEFAULT_TOPICS } from "retail-stream";',
        "const scheduler = new SimulatedScheduler(0);",
        "let n = 0;",
        "retailEvents$({ chain: sampleChain({ stores: 3, products: 20, seed: 1 }), rng: new SeededRng(1), scheduler, count: 5 }).subscribe(() => n++);",
        "while (scheduler.runNext());",
        "console.log(JSON.stringify({ n, topics: Object.keys(DEFAULT_TOPICS).length }));",
      ].join("\n"),
    );
    const lib = spawnSync(process.execPath, ["use.mjs"], { cwd: dir, encoding: "utf8" });
    expect(lib.status, lib.stderr).to.equal(0);
    const out = JSON.parse(lib.stdout) as { n: number; topics: number };
    expect(out.n).to.be.at.least(5);
    // The original plan's five, and version 3's payments, order status changes and returns.
    expect(out.topics).to.equal(8);

    // The README's library snippets, verbatim, in that fresh project (no ./data there: the shipped chain is the default).
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## The library"),
      readme.indexOf("\n## ", readme.indexOf("## The library") + 5),
    );
    const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(snippets.length).to.be.at.least(1);
    snippets.forEach((code, i) => {
      writeFileSync(join(dir, `readme-${i}.mjs`), code);
      const ran = spawnSync(process.execPath, [`readme-${i}.mjs`], {
        cwd: dir,
        encoding: "utf8",
        maxBuffer: 1 << 28,
        timeout: 60_000,
      });
      expect(ran.status, `README snippet ${i}: ${ran.stderr}`).to.equal(0);
      const lines = jsonLines<{ topic: string; value: { event_type: string } }>(ran.stdout);
      expect(lines.length, `README snippet ${i} printed no events`).to.be.above(100);
      expect(lines.some((l) => l.value.event_type === "sale")).to.equal(true);
    });
  });

  it("should wire the compose file: KRaft Kafka with a healthcheck, the generator after it, pointed at it", () => {
    const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as {
      services: Record<
        string,
        {
          image?: string;
          build?: string;
          command?: string[];
          environment?: Record<string, string | number>;
          depends_on?: Record<string, { condition: string }>;
          healthcheck?: { test: string[] };
        }
      >;
    };
    const kafka = compose.services.kafka;
    const generator = compose.services["retail-stream"];
    expect(kafka?.image).to.match(/^apache\/kafka:/);
    expect(String(kafka?.environment?.KAFKA_PROCESS_ROLES)).to.equal("broker,controller");
    expect(kafka?.healthcheck?.test.join(" ")).to.match(/kafka-broker-api-versions/);
    expect(generator?.build).to.equal(".");
    expect(generator?.depends_on?.kafka?.condition).to.equal("service_healthy");
    expect(generator?.command).to.deep.equal(["--continuous"]);
    const advertised = String(kafka?.environment?.KAFKA_ADVERTISED_LISTENERS)
      .split(",")
      .find((l) => l.startsWith("PLAINTEXT://"));
    expect(`PLAINTEXT://${generator?.environment?.KAFKA_BOOTSTRAP_SERVERS}`).to.equal(advertised);
  });

  it("should build the image in two stages and run it as a non-root user with the CLI as entrypoint", () => {
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile.match(/^FROM /gm)).to.have.length(2);
    expect(dockerfile)
      .to.match(/^USER node$/m)
      .and.match(/^ENTRYPOINT \["retail-stream"\]$/m)
      .and.match(/COPY --from=build/);
  });

  it("should stream with the image's default command line (--continuous) until stopped @clock", async () => {
    // The entrypoint's command line is the CLI's: the same arguments it gets in the image stream here.
    const { child, done } = await startCli(
      ["--continuous", "--sink", "stdout", "--min-delta", "0", "--max-delta", "0.01", "--seed", "1"],
      /Event #20:/,
    );
    child.kill("SIGTERM");
    const result = await done;
    expect(result.status, result.stderr).to.equal(0);
    expect(jsonLines(result.stdout).length).to.be.at.least(20);
    expect(result.stderr).to.match(/summary: \d+ primary events/);
  });

  it("should let `make run` bound a run with ARGS instead of forcing --continuous, and serve it at 127.0.0.1:9464 unless told where", () => {
    const dryRun = (args: string): string =>
      execFileSync(
        "make",
        ["-n", "--no-print-directory", "run", `ARGS=${args}`, "KAFKA_BOOTSTRAP_SERVERS=elsewhere:9092"],
        { cwd: ROOT, encoding: "utf8" },
      );
    expect(dryRun("--duration 30")).to.match(/^bin\/retail-stream\s+--http 127.0.0.1:9464 --duration 30$/m);
    expect(dryRun("--count 5")).to.not.match(/--continuous/);
    expect(dryRun("--speed 60")).to.match(/^bin\/retail-stream --continuous --http 127.0.0.1:9464 --speed 60$/m);
    expect(dryRun("--http 8080")).to.match(/^bin\/retail-stream --continuous\s+--http 8080$/m);
  });

  it("should set up on a non-root machine or another system by saying what to install, and build against the running node's headers", () => {
    const bin = mkdtempSync(join(tmpdir(), "rs-bin-"));
    const tool = (name: string, body: string): void => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    // Not Debian: no apt-get on the PATH.
    const run = (path: string): ReturnType<typeof spawnSync> =>
      spawnSync("/bin/bash", [join(ROOT, "scripts/apt-install.sh"), "install", "zstd's headers", "libzstd-dev"], {
        encoding: "utf8",
        env: { PATH: path },
      });
    const other = run("/nonexistent");
    expect(other.status).to.equal(1);
    expect(other.stderr).to.match(
      /^install: zstd's headers: install libzstd-dev with this system's package manager \(this is not Debian or Ubuntu\), then run make again$/m,
    );
    // Debian as a user without sudo: apt-get is there, root is not.
    tool("apt-get", "echo apt-get ran >&2; exit 0");
    tool("id", "echo 1000");
    const user = run(bin);
    expect(user.status).to.equal(1);
    expect(user.stderr).to.match(/installing libzstd-dev needs root; run 'apt-get install libzstd-dev' as root/);
    expect(user.stderr).to.not.match(/apt-get ran/);
    // With sudo: through it.
    tool("sudo", 'echo "sudo $*" >&2; exit 0');
    const sudo = run(bin);
    expect(sudo.status, String(sudo.stderr)).to.equal(0);
    expect(sudo.stderr).to.match(/sudo apt-get install -y -qq --no-install-recommends libzstd-dev/);
    // The packages come first, their builds after librdkafka's patches, against the headers of the node on the
    // PATH, wherever it is installed.
    const prefix = resolve(process.execPath, "../..");
    const dry = execFileSync("make", ["-n", "--no-print-directory", "-W", "package.json", "install"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    const steps = [
      "npm ci --no-audit --no-fund --ignore-scripts",
      "scripts/librdkafka-patch.sh",
      `npm_config_nodedir=${prefix} npm rebuild`,
    ];
    const at = steps.map((step) => dry.indexOf(step));
    expect(
      at.every((i) => i >= 0),
      dry,
    ).to.equal(true);
    expect(at, dry).to.deep.equal([...at].sort((a, b) => a - b));
  });

  it("should start the local broker for `make run` only when the run writes to it, and list every target in `make help`", () => {
    const env = { ...process.env, KAFKA_BOOTSTRAP_SERVERS: "" };
    const dryRun = (args: string): string =>
      execFileSync("make", ["-n", "--no-print-directory", "run", `ARGS=${args}`], { cwd: ROOT, encoding: "utf8", env });
    expect(dryRun("--sink stdout --count 5")).to.not.match(/kafka-up/);
    expect(dryRun("--count 5")).to.match(/kafka-up/);
    const help = execFileSync("make", ["--no-print-directory", "help"], { cwd: ROOT, encoding: "utf8" });
    for (const target of ["e2e", "e2e-secure", "e2e-cluster", "hours", "test", "run"])
      expect(help).to.match(new RegExp(`make ${target}\\s`), target);
  });

  it("should take the stand-ins' Debian mirror from the machine's apt sources, with no mirror host of its own", () => {
    const script = readFileSync(join(ROOT, "scripts/container-standins.sh"), "utf8");
    expect(script).to.not.match(/https?:\/\/deb\.debian\.org/);
    const mirrorOf = (files: Record<string, string>): { status: number | null; stdout: string; stderr: string } => {
      const apt = mkdtempSync(join(tmpdir(), "rs-apt-"));
      execFileSync("mkdir", ["-p", join(apt, "sources.list.d")]);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(apt, name), text);
      const fn = /^debian_mirror\(\) \{[\s\S]*?^\}$/m.exec(script)?.[0] ?? "";
      return spawnSync("bash", ["-c", `${fn}\ndebian_mirror`], {
        encoding: "utf8",
        env: { ...process.env, APT_DIR: apt },
      });
    };
    const deb822 =
      "Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\n\nTypes: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n";
    expect(mirrorOf({ "sources.list.d/debian.sources": deb822 }).stdout.trim()).to.equal(
      "http://mirror.example/debian",
    );
    expect(
      mirrorOf({ "sources.list": "deb [signed-by=/k.gpg] http://own.example/debian bookworm main\n" }).stdout.trim(),
    ).to.equal("http://own.example/debian");
    const none = mirrorOf({});
    expect(none.status).to.equal(1);
    expect(none.stderr).to.match(/no Debian bookworm source .*; name a mirror with DEBIAN_MIRROR=URL/);
  });

  it("should build the image from the local stand-ins when no registry can be reached", () => {
    const script = readFileSync(join(ROOT, "scripts/image.sh"), "utf8");
    expect(script).to.match(
      /podman pull -q "\$base"[^\n]*\|\| *continue|podman pull -q "\$base" >\/dev\/null 2>&1 && continue/,
    );
    expect(script).to.include("scripts/container-standins.sh");
  });

  it("should keep the README's command-line reference identical to --help", () => {
    const check = spawnSync(process.execPath, ["scripts/cli-reference.mjs", "--check"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(check.status, check.stderr).to.equal(0);
  });
});

describe("configuration from the environment", () => {
  before(requireBuild);
  const FAST = ["--count", "20", "--start-time", "2026-01-01T00:00:00Z", "--seed", "1"];

  it("should honour RETAIL_STREAM_SINK, _MIN_DELTA, _MAX_DELTA and _SPEED", () => {
    const result = runCli(FAST, {
      env: {
        RETAIL_STREAM_SINK: "stdout",
        RETAIL_STREAM_MIN_DELTA: "2",
        RETAIL_STREAM_MAX_DELTA: "2",
        RETAIL_STREAM_SPEED: "1000",
      },
    });
    expect(result.status, result.stderr).to.equal(0);
    const times = jsonLines<{ timestamp: number; value: { event_type: string; source_event_id?: string } }>(
      result.stdout,
    ).map((l) => l.timestamp);
    expect(new Set(times.map((t, i) => (i === 0 ? 0 : t - (times[i - 1] as number)))).has(2000)).to.equal(true);
    expect(Math.max(...times) - Math.min(...times)).to.be.at.most(19 * 2000);
  });

  it("should honour RETAIL_STREAM_WEIGHTS and RETAIL_STREAM_TOPIC", () => {
    const result = runCli(["--sink", "stdout", ...FAST, "--min-delta", "0", "--max-delta", "0"], {
      env: { RETAIL_STREAM_WEIGHTS: "customer=1", RETAIL_STREAM_TOPIC: "customer=visits" },
    });
    expect(result.status, result.stderr).to.equal(0);
    const lines = jsonLines<{ topic: string }>(result.stdout);
    expect(lines.every((l) => l.topic === "visits")).to.equal(true);
  });

  it("should let a flag beat the environment", () => {
    const result = runCli(["--sink", "stdout", ...FAST, "--max-delta", "0"], {
      env: { RETAIL_STREAM_MIN_DELTA: "0", RETAIL_STREAM_MAX_DELTA: "30", RETAIL_STREAM_COUNT: "999" },
    });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stderr).to.match(/summary: 20 primary events/);
    const times = jsonLines<{ timestamp: number }>(result.stdout).map((l) => l.timestamp);
    expect(new Set(times).size).to.equal(1);
  });

  it("should take the brokers from KAFKA_BOOTSTRAP_SERVERS", () => {
    const result = runCli(["--count", "1", "--connect-timeout", "1"], {
      env: { KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:1" },
    });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/cannot reach Kafka at 127\.0\.0\.1:1: all brokers down/);
  });

  it("should warn that a backfill older than Kafka's default retention is deleted, unless the created topics get a retention", () => {
    // Each run gets as far as connecting (exit 1: nothing listens there), so a missing warning is not a run refused earlier.
    const run = (extra: string[]): string => {
      const result = runCli([...extra, "--brokers", "127.0.0.1:1", "--connect-timeout", "1"]);
      expect(result.status, result.stderr).to.equal(1);
      expect(result.stderr).to.match(/cannot reach Kafka at 127\.0\.0\.1:1/);
      return result.stderr;
    };
    const backfill = ["--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T01:00:00Z"];
    expect(run(backfill)).to.match(
      /records start 2026-01-01T00:00:00\.000Z, more than 7 days ago: .*--topic-config retention.ms=-1 keeps them/,
    );
    expect(run([...backfill, "--topic-config", "retention.ms=-1"])).to.not.match(/more than 7 days ago/);
    expect(run(["--count", "1"])).to.not.match(/more than 7 days ago/);
  });

  it("should name an unknown RETAIL_STREAM_ variable", () => {
    const result = runCli(["--sink", "stdout", "--count", "1"], { env: { RETAIL_STREAM_COLOUR: "blue" } });
    expect(result.status).to.equal(2);
    expect(result.stderr.trim()).to.equal(
      "retail-stream: Unknown argument: colour (from the environment variable RETAIL_STREAM_COLOUR)",
    );
  });

  it("should refuse a bad value from the environment like a bad flag", () => {
    const result = runCli(["--sink", "stdout", "--count", "1"], { env: { RETAIL_STREAM_MIN_DELTA: "soon" } });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.match(/--min-delta: expected a number, got "soon"/);
  });
});
