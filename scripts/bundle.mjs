// `make build`'s second step: the command line and its workers as ES modules bundled from tsc's output
// (dist/bundle/main.js, dist/bundle/worker.js and their shared chunks). Node then reads a few dozen files at start
// instead of about 400 (the project's modules, rxjs's CommonJS build whole, winston and its formats), and compiles
// 1 MB of them instead of 3.5: a run starts in 0.25 s of CPU, not 0.37 (docs/performance.md).
// The bundle sits two folders down, as every module it is made of, so their paths to data/ and package.json hold.
// Left out: native addons and the database client (loaded when a run asks for them), and yargs, which reads
// its locale files beside its own sources.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunks are named by their content: a build over the last one's would leave its chunks behind, in the image too.
rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: ["dist/cli/main.js", "dist/cli/worker.js"],
  outdir: "dist/bundle",
  bundle: true,
  // Code a run may never reach (the live page, workers, Kafka, files, verify, judge, sample data) stays in chunks of
  // its own, read only when asked for, with the Node modules it imports.
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["node-rdkafka", "@duckdb/node-api", "pg"],
  // rxjs's ES module build, so only the operators used are kept (Node's condition picks its CommonJS build, all of it).
  alias: { rxjs: "./node_modules/rxjs/dist/esm/index.js" },
  // CommonJS modules in the bundle call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: "warning",
});
