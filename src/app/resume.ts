import { createHash } from "node:crypto";
import type winston from "winston";
import { ConfigError } from "../errors.js";
import type { Chain } from "../model/chain.js";
import { STREAM_GENERATION } from "../model/generation.js";
import type { Scenario } from "../model/scenario.js";
import type { CommittedPosition, RunIdentity } from "../sinks/sink.js";
import type { RunConfig } from "../config/runConfig.js";

/** The stream generation this build makes (for `--version`). */
export { STREAM_GENERATION };

/** What a resumed run needs: the identity its checkpoints carry, and how many records an earlier run already committed. */
export interface ResumePoint {
  identity: RunIdentity;
  /** Records to regenerate without writing. */
  skip: number;
  /** Event time of the last committed record (0 for a fresh start). */
  time: number;
}

/**
 * Everything that shapes the record sequence a resume skips by count, hashed: the options, the
 * faults, the truth, the chain, the scenario's content (not only its name) and the stream's generation. A resumed
 * run must have the same.
 */
export function fingerprint(config: RunConfig, chain: Chain, scenario?: Scenario): string {
  const shape = {
    generation: STREAM_GENERATION,
    minDelayMs: config.minDelayMs,
    maxDelayMs: config.maxDelayMs,
    weights: config.weights,
    count: config.count,
    end: config.end,
    backfillUntil: config.backfillUntil,
    arrivals: config.arrivals,
    rate: config.rate,
    // Absent keys leave the fingerprints of runs without a profile as they were.
    rateProfile: config.rateProfile?.text,
    scenario: config.scenario,
    shard: config.shard,
    leadTimeMs: config.leadTimeMs,
    topics: config.topics,
    format: config.kafka.format,
    chain,
    faults: config.faults ?? null,
    truth: config.truth ?? null,
    scenarioContent: scenario ?? null,
    schemaVersion: config.schemaVersion,
    aftercare: config.aftercare,
  };
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 32);
}

/**
 * The starting point of a transactional run: fresh, or (with `--resume`) the
 * last committed checkpoint of its id, whose seed and start the run takes over.
 * A checkpoint of other options or another chain is refused.
 */
export async function resumePoint(
  config: RunConfig,
  chain: Chain,
  log: winston.Logger,
  scenario: Scenario | undefined,
  committed: (config: RunConfig, runId: string) => Promise<CommittedPosition | undefined>,
): Promise<{ config: RunConfig; point: ResumePoint }> {
  const transactions = config.transactions as NonNullable<RunConfig["transactions"]>;
  const print = fingerprint(config, chain, scenario);
  const fresh = {
    config,
    point: { identity: { seed: config.seed, start: config.start, fingerprint: print }, skip: 0, time: 0 },
  };
  if (!transactions.resume) return fresh;
  const checkpoint = await committed(config, transactions.id);
  if (checkpoint === undefined) {
    log.info(`--resume: no committed checkpoint of ${transactions.id} yet; starting from the beginning`);
    return fresh;
  }
  const { identity } = checkpoint;
  if (identity.fingerprint !== print)
    throw new ConfigError([
      `--resume: the last checkpoint of ${transactions.id} was made with other options, faults, truth, scenario or chain, or by a build making another stream generation; resume with the same ones, or use another --transactional-id`,
    ]);
  if (config.seedGiven && config.seed !== identity.seed)
    throw new ConfigError([
      `--resume: the checkpoint of ${transactions.id} is of seed ${identity.seed}, not ${config.seed}`,
    ]);
  log.info(
    `--resume: checkpoint of ${transactions.id}: ${checkpoint.records} records (${checkpoint.primary} primary events) committed up to ${new Date(checkpoint.time).toISOString()}; regenerating them without writing, then going on`,
  );
  return {
    config: { ...config, seed: identity.seed, seedGiven: true, start: identity.start },
    point: { identity, skip: checkpoint.records, time: checkpoint.time },
  };
}
