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
  ["config", ["model", "wire", "random"]],
  ["app", ["config", "verify", "sinks", "streams", "operators", "data", "wire", "model", "random", "clock"]],
  ["live", ["app", "config", "sinks", "streams", "operators", "data", "wire", "model", "random", "clock"]],
  ["cli", ["live", "app", "config", "verify", "sinks", "streams", "operators", "data", "wire", "model", "random", "clock"]],
];
const names = ROOMS.map(([room]) => room);

module.exports = {
  forbidden: [
    ...ROOMS.map(([room, may]) => ({
      name: `${room}-points-down`,
      comment: `src/${room} may import only ${may.length === 0 ? "nothing of the project but src/errors.ts" : may.map((r) => `src/${r}`).join(", ")}`,
      severity: "error",
      from: { path: `^src/${room}/` },
      to: { path: `^src/(${names.filter((r) => r !== room && !may.includes(r)).join("|")})/` },
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
