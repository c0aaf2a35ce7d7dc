import type { WorkerAsk } from "../app/workerProtocol.js";
import type { RunStatus, StatusSample } from "../app/liveSide.js";
import type { StatusCounts } from "../app/runCounts.js";
import type { Chain } from "../model/chain.js";
import { sumCounts } from "../app/report.js";
import { planControl, type LoadScenario } from "./control.js";
import type { LiveRun } from "./liveRun.js";
import type { RunMetrics } from "./metrics.js";

/** A change asked through `POST /control`, made: what it changed, and where the run stands after it. */
export interface ControlApplied {
  said: string[];
  status: RunStatus;
  /** The run's simulated time when it was made, epoch ms (for the control log). */
  simulatedNow: number;
}

/** What the live endpoints serve: one process's run, or the workers of one run seen as one. */
export interface LiveView {
  metrics(): Promise<{ text: string; contentType: string }>;
  notReady(): Promise<string[]>;
  status(): Promise<RunStatus>;
  /** Everything wrong with a control body, or the change ready to make (nothing is changed until `apply`). */
  plan(data: unknown): Promise<{ problems: string[]; apply?: () => Promise<ControlApplied> }>;
}

/** The view of this process's run. */
export function localView(run: LiveRun, metrics: RunMetrics, context: { chain: Chain; load: LoadScenario }): LiveView {
  return {
    metrics: async () => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType }),
    notReady: async () => run.notReady(),
    status: async () => run.status(),
    async plan(data) {
      const plan = await planControl(data, { ...context, run });
      const apply = plan.apply;
      if (apply === undefined) return { problems: plan.problems };
      return {
        problems: [],
        apply: async () => ({ said: apply(), status: run.status(), simulatedNow: run.scheduler.now() }),
      };
    },
  };
}

type Status = RunStatus;
/** The counters that are numbers (the others are counts by name). */
type Counted = { [K in keyof StatusCounts]: StatusCounts[K] extends number ? K : never }[keyof StatusCounts];
const sumOf = (all: readonly Status[], key: Counted): number => all.reduce((total, s) => total + s[key], 0);
const mergeCounts = (all: readonly Status[], key: "by_type" | "faults"): Record<string, number> =>
  sumCounts(all.map((s) => s[key]));
type HistorySample = StatusSample;

/**
 * The workers' statuses as the status of one run: counts summed, the
 * simulated time of the one furthest behind, ready only when all are (each
 * reason names its worker), the per-second history summed sample by sample
 * from the latest back.
 */
export function combinedStatus(all: readonly Status[], expected: number = all.length): Status {
  const states = all.map((s) => s.state);
  const state: Status["state"] =
    all.length === 0 || all.length < expected
      ? "starting"
      : states.every((s) => s === states[0])
        ? (states[0] as Status["state"])
        : states.includes("running")
          ? "running"
          : (states.find((s) => s !== "stopped") ?? "stopped");
  const reasons =
    all.length === 0
      ? ["no worker is live yet"]
      : [
          ...(all.length < expected ? [`${expected - all.length} of ${expected} workers not live yet`] : []),
          ...all.flatMap((s, i) => s.reasons.map((r) => `worker ${i}: ${r}`)),
        ];
  const times = all.map((s) => Date.parse(String(s.simulated_time))).filter((t) => Number.isFinite(t));
  const histories = all.map((s) => s.history);
  const length = histories.length === 0 ? 0 : Math.min(...histories.map((h) => h.length));
  const history = Array.from({ length }, (_, back): HistorySample => {
    const samples = histories.map((h) => h[h.length - length + back] as HistorySample);
    return {
      at: Math.max(...samples.map((x) => x.at)),
      byType: sumCounts(samples.map((x) => x.byType)),
      delivered: samples.reduce((t, x) => t + x.delivered, 0),
      failed: samples.reduce((t, x) => t + x.failed, 0),
    };
  });
  const transactions = all.map((s) => s.transactions).filter((t) => t !== undefined);
  const brokers = all.map((s) => s.brokers_up).filter((b): b is number => typeof b === "number");
  const first: Partial<Status> = all[0] ?? {};
  return {
    state,
    ready: reasons.length === 0,
    reasons,
    workers: all.length,
    simulated_time: times.length === 0 ? (first.simulated_time ?? null) : new Date(Math.min(...times)).toISOString(),
    speed: first.speed ?? null,
    lag_ms: Math.max(0, ...all.map((s) => s.lag_ms)),
    held_ms: Math.max(0, ...all.map((s) => s.held_ms)),
    produced: sumOf(all, "produced"),
    delivered: sumOf(all, "delivered"),
    failed: sumOf(all, "failed"),
    in_flight: sumOf(all, "in_flight"),
    primary: sumOf(all, "primary"),
    by_type: mergeCounts(all, "by_type"),
    faults: mergeCounts(all, "faults"),
    truth_rows: sumOf(all, "truth_rows"),
    label_rows: sumOf(all, "label_rows"),
    steering: first.steering,
    brokers_up: brokers.length === 0 ? undefined : Math.min(...brokers),
    transactions:
      transactions.length === 0
        ? undefined
        : {
            committed: transactions.reduce((t, x) => t + x.committed, 0),
            aborted: transactions.reduce((t, x) => t + x.aborted, 0),
          },
    history,
  };
}

/**
 * The workers of one run seen as one (`--workers` with `--http`): metrics
 * aggregated by prom-client (counters and histograms summed, gauges by their
 * `aggregator`), statuses combined, and a control change checked by every
 * worker before any makes it. A worker that does not answer (it has ended)
 * counts with its last answer.
 *
 * @param ask sends a question to worker `index` and resolves with its answer, or undefined when none came
 */
export function workersView(count: number, ask: (index: number, question: WorkerAsk) => Promise<unknown>): LiveView {
  const last = { metrics: new Map<number, unknown>(), status: new Map<number, Status>() };
  const all = async <T>(question: WorkerAsk, kept?: Map<number, T>): Promise<T[]> => {
    const answers = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const answer = (await ask(i, question)) as T | undefined;
        if (answer !== undefined && answer !== null) kept?.set(i, answer);
        return answer ?? kept?.get(i);
      }),
    );
    return answers.filter((a): a is Awaited<T> => a !== undefined && a !== null);
  };
  // "starting" until every worker has answered once: the first to be live is not the run.
  const status = async (): Promise<Status> => combinedStatus(await all<Status>({ ask: "status" }, last.status), count);
  let plans = 0;
  return {
    async metrics() {
      // A CommonJS package: its exports object is the default export, bundled (scripts/bundle.mjs) or not.
      const { AggregatorRegistry } = (await import("prom-client")).default;
      const registry = AggregatorRegistry.aggregate(
        (await all({ ask: "metrics" }, last.metrics)) as Parameters<typeof AggregatorRegistry.aggregate>[0],
      );
      return { text: await registry.metrics(), contentType: registry.contentType };
    },
    notReady: async () => (await status()).reasons as string[],
    status,
    async plan(data) {
      const plan = (plans += 1);
      const problems = [...new Set((await all<string[]>({ ask: "check", plan, body: data })).flat())];
      if (problems.length > 0) {
        await all({ ask: "drop", plan });
        return { problems };
      }
      return {
        problems: [],
        apply: async () => {
          const applied = await all<ControlApplied>({ ask: "apply", plan });
          if (applied.length === 0) throw new Error("no worker is running any more");
          return {
            said: [...new Set(applied.flatMap((a) => a.said))],
            status: combinedStatus(applied.map((a) => a.status)),
            simulatedNow: Math.min(...applied.map((a) => a.simulatedNow)),
          };
        },
      };
    },
  };
}

/**
 * A worker's side of `workersView`: answers its parent's questions about its
 * run (nothing to say before the run is live). A control change is planned on
 * `check` and kept under its plan number until `apply` or `drop`.
 */
export function workerAnswers(
  getLive: () => { view: LiveView; metrics: RunMetrics } | undefined,
): (question: WorkerAsk) => Promise<unknown> {
  const planned = new Map<number, () => Promise<ControlApplied>>();
  return async (question) => {
    const live = getLive();
    switch (question.ask) {
      case "metrics":
        return live?.metrics.registry.getMetricsAsJSON();
      case "status":
        return live?.view.status();
      case "check": {
        if (live === undefined) return ["the run is not live yet"];
        const plan = await live.view.plan(question.body);
        if (plan.apply !== undefined) planned.set(question.plan, plan.apply);
        return plan.problems;
      }
      case "apply": {
        const apply = planned.get(question.plan);
        planned.delete(question.plan);
        return apply?.();
      }
      case "drop":
        planned.delete(question.plan);
        return undefined;
    }
  };
}
