import { fileURLToPath } from "node:url";
import type winston from "winston";
import type { WorkersIo } from "../app/workers.js";
import { realWall } from "../clock/realWall.js";
import type { RunIo } from "../app/run.js";

/** What a run in this process touches: its streams, the real clock, its signals, and the live room for `--http`. */
export function processIo(log: winston.Logger): RunIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    log,
    wall: realWall,
    epochNow: () => Date.now(),
    peakRssMb: () => process.resourceUsage().maxRSS / 1024,
    onSignal(handler) {
      const signals = ["SIGINT", "SIGTERM"] as const;
      for (const signal of signals) process.once(signal, handler);
      return () => signals.forEach((signal) => process.removeListener(signal, handler));
    },
    // prom-client and the server are loaded only by a run that serves them.
    startLive: async (cfg, parts) => (await import("../live/startLive.js")).startLive(cfg, parts),
  };
}

/** How this process starts the workers of `--workers` (the CLI's worker entry) and serves them as one. */
export function workersIo(log: winston.Logger): WorkersIo {
  return {
    workerScript: fileURLToPath(new URL("./worker.js", import.meta.url)),
    execArgv: process.execArgv,
    async serve(http, count, ask) {
      const [{ servingLine, startLiveServer }, { workersView }] = await Promise.all([
        import("../live/server.js"),
        import("../live/view.js"),
      ]);
      const server = await startLiveServer({
        host: http.host,
        port: http.port,
        token: http.token,
        controlLog: http.controlLog,
        view: workersView(count, ask),
        log,
        epochNow: () => Date.now(),
      });
      log.info(`${servingLine(http.host, http.port)}, the ${count} workers as one`);
      return {
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
    },
  };
}
