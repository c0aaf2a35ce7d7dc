import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { resolveRunConfig } from "../../src/config/resolve.js";
import { parseCommandLine } from "../../src/cli/options.js";
import type { RawArgs } from "../../src/config/args.js";
import { readChain } from "../../src/data/chainFiles.js";
import { shardStores } from "../../src/streams/shard.js";
import { ROOT } from "../support/cli.js";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
}
interface Manifest {
  kind: string;
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    template: {
      spec: {
        containers: Array<{
          image: string;
          args: string[];
          env: EnvVar[];
          readinessProbe: { httpGet: { path: string } };
        }>;
      };
    };
  };
}

/** The container's environment in the pod of completion index `index`, as Kubernetes expands it ($(VAR) of an earlier variable). */
function podEnv(env: readonly EnvVar[], index: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of env) {
    if (v.valueFrom?.fieldRef?.fieldPath === "metadata.annotations['batch.kubernetes.io/job-completion-index']")
      out[v.name] = String(index);
    else if (v.valueFrom?.secretKeyRef !== undefined) out[v.name] = "a-secret-token";
    else out[v.name] = (v.value ?? "").replace(/\$\((\w+)\)/g, (_, name: string) => out[name] ?? `$(${name})`);
  }
  return out;
}

describe("examples/kubernetes/indexed-job.yaml", () => {
  const manifest = parse(readFileSync(`${ROOT}examples/kubernetes/indexed-job.yaml`, "utf8")) as Manifest;
  const container = manifest.spec.template.spec
    .containers[0] as Manifest["spec"]["template"]["spec"]["containers"][number];

  it("should be an Indexed Job whose pods all run at once, one per shard", () => {
    expect(manifest.kind).to.equal("Job");
    expect(manifest.spec.completionMode).to.equal("Indexed");
    expect(manifest.spec.parallelism).to.equal(manifest.spec.completions);
    const shard = container.env.find((v) => v.name === "RETAIL_STREAM_SHARD");
    expect(shard?.value).to.equal(`$(SHARD_INDEX)/${manifest.spec.completions}`);
    // $(SHARD_INDEX) expands only if it is defined before RETAIL_STREAM_SHARD.
    expect(container.env.findIndex((v) => v.name === "SHARD_INDEX")).to.be.below(
      container.env.findIndex((v) => v.name === "RETAIL_STREAM_SHARD"),
    );
    expect(container.readinessProbe.httpGet.path).to.equal("/readyz");
  });

  it("should give each pod its shard, its own transactional id and resume, the shards covering every store once", async () => {
    const n = manifest.spec.completions;
    const chain = readChain();
    const seen = new Map<string, number>();
    for (let index = 0; index < n; index += 1) {
      const env = podEnv(container.env, index);
      // yargs reads RETAIL_STREAM_* from the process's environment: the pod's, for the parse.
      const saved = { ...process.env };
      Object.assign(process.env, env);
      const parsed = await parseCommandLine(container.args, () => undefined, env).finally(() => {
        for (const name of Object.keys(env)) if (saved[name] === undefined) delete process.env[name];
        Object.assign(process.env, saved);
      });
      if (parsed.command !== "stream") throw new Error(`parsed as ${parsed.command}`);
      const config = resolveRunConfig(parsed.args as RawArgs, { now: Date.UTC(2026, 11, 2), randomSeed: 1, env });
      expect(config.shard).to.deep.equal({ index, count: n });
      expect(config.transactions).to.include({ id: `retail-stream-backfill.shard-${index}-of-${n}`, resume: true });
      expect(config.http).to.deep.include({ host: "0.0.0.0", port: 9464, token: "a-secret-token" });
      expect(config.kafka.brokers).to.equal("kafka.kafka.svc:9092");
      for (const i of shardStores(chain.stores, config.shard)) {
        const id = chain.stores[i]?.store_id as string;
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    expect([...seen.keys()].sort()).to.deep.equal(chain.stores.map((s) => s.store_id).sort());
    expect([...seen.values()].every((count) => count === 1)).to.equal(true);
  });

  /** The manifest for `n` shards, as its header says to change it: completions, parallelism and the /4 together. */
  const rendered = (n: number, extra = ""): string => {
    const text = readFileSync(`${ROOT}examples/kubernetes/indexed-job.yaml`, "utf8")
      .replace(/completions: \d+/, `completions: ${n}`)
      .replace(/parallelism: \d+/, `parallelism: ${n}${extra}`)
      .replace(/\$\(SHARD_INDEX\)\/\d+/, `$(SHARD_INDEX)/${n}`);
    const file = join(mkdtempSync(join(tmpdir(), "rs-k8s-")), `indexed-job-${n}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const validate = (file: string): { status: number | null; out: string } => {
    const result = spawnSync(`${ROOT}scripts/kubernetes-validate.sh`, [file], { encoding: "utf8", timeout: 300_000 });
    return { status: result.status, out: result.stdout + result.stderr };
  };

  it("should validate, as shipped and rendered for 7 shards, against the Kubernetes API's schemas (strict)", function () {
    // The first call installs kubernetes-validate from PyPI.
    this.timeout(300_000);
    for (const file of [`${ROOT}examples/kubernetes/indexed-job.yaml`, rendered(7)]) {
      const { status, out } = validate(file);
      expect(status, out).to.equal(0);
      expect(out).to.match(/passed for resource job\/retail-stream-backfill against version 1\.\d+/);
    }
    expect(readFileSync(rendered(7), "utf8")).to.match(/completions: 7[\s\S]*parallelism: 7[\s\S]*SHARD_INDEX\)\/7/);
  });

  it("should be refused by the same check when it carries a field the Job API has not", function () {
    this.timeout(300_000);
    const { status, out } = validate(rendered(4, "\n  retries: 2"));
    expect(status).to.equal(1);
    expect(out).to.match(/Additional properties are not allowed \('retries' was unexpected\)/);
  });
});
