// `make build`'s second step: the command line and its workers as one ES module each (dist/bundle/main.js,
// dist/bundle/worker.js), from tsc's output. Node then reads two files at start instead of about 400 (the
// project's modules, rxjs's CommonJS build, winston and its formats): a run starts in 0.27 s of CPU, not 0.37.
// The bundle sits two folders down, as every module it is made of, so their paths to data/ and package.json hold.
// Left out: native addons and the database client (loaded when a run asks for them), and yargs, which reads
// its locale files beside its own sources.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/cli/main.js", "dist/cli/worker.js"],
  outdir: "dist/bundle",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["node-rdkafka", "@duckdb/node-api", "pg"],
  // CommonJS modules in the bundle call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  logLevel: "warning",
});
