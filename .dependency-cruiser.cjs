// The rooms of the house (DESIGN.md) and which way imports point: each room may import only
// the rooms listed below it here. `make lint` runs this over src/ (nested folders included).
const ROOMS = [
  // room, the rooms it may import
  ["random", []],
  ["clock", []],
  ["model", ["random"]],
  ["wire", ["model", "random"]],
  ["data", ["model", "wire", "random"]],
  ["operators", ["model", "wire", "random", "clock"]],
  ["streams", ["operators", "model", "wire", "data", "random", "clock"]],
  ["sinks", ["wire", "model", "random", "clock"]],
  ["verify", ["model", "wire", "data", "random"]],
  // Resolves a run's configuration from its arguments, files and environment: checked against the model's ranges.
  ["config", ["model", "wire", "random"]],
  ["app", ["config", "verify", "sinks", "streams", "operators", "data", "wire", "model", "random", "clock"]],
  // The live endpoints steer a running run: /control's bodies are checked against the model's ranges and
  // change the run's steering (streams), a scenario is loaded by name (data), and the statistics of the
  // run's sink and clock are read as they are. Narrowing it to the application's status types is left to do.
  ["live", ["app", "config", "streams", "data", "model", "sinks", "clock"]],
  // The command line: parses, hands the application its configuration, and serves the live room.
  ["cli", ["live", "app", "config"]],
];

/** Single files a room may import beyond its rooms, each with the reason. */
const EXCEPTIONS = [
  // The option table shows the Kafka sink's own bounds as its flags' defaults: one number, kept by the sink.
  ["config", "src/sinks/kafka/defaults\\.ts$"],
  // The process hands the application the real clock (the only other clock is the simulated one).
  ["cli", "src/clock/realWall\\.ts$"],
];
const names = ROOMS.map(([room]) => room);

module.exports = {
  forbidden: [
    ...ROOMS.map(([room, may]) => ({
      name: `${room}-points-down`,
      comment: `src/${room} may import only ${may.length === 0 ? "nothing of the project but src/errors.ts" : may.map((r) => `src/${r}`).join(", ")}`,
      severity: "error",
      from: { path: `^src/${room}/` },
      to: {
        path: `^src/(${names.filter((r) => r !== room && !may.includes(r)).join("|")})/`,
        pathNot: EXCEPTIONS.filter(([from]) => from === room).map(([, file]) => file),
      },
    })),
    {
      name: "library-entry-not-cli",
      comment: "the library's entry (src/index.ts) does not reach the command line",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/cli/" },
    },
    {
      name: "no-circular",
      comment: "modules that import each other are one idea split in two, or two tangled",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.build.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".js"] },
  },
};
