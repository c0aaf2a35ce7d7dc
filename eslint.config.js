import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** An eslint block that forbids files in `files` to import from the layers in `above`. */
function layer(files, above) {
  return [{
    files: [files],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["rxjs/internal/*"], message: "the public rxjs entry points only" },
          ...above.map((name) => ({ group: [`../${name}/*`, `./${name}/*`], message: `${files} sits below src/${name}: layers point down` })),
        ],
      }],
    },
  }];
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".kafka/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: ["rxjs/internal/*"] }],
    },
  },
  // Layers point down: random and clock import no other layer; model only random;
  // data only model; operators and sinks nothing above them; verify reads model and data;
  // only the CLI imports the CLI.
  ...layer("src/random/**", ["model", "clock", "operators", "streams", "sinks", "data", "verify", "cli"]),
  ...layer("src/clock/**", ["model", "random", "operators", "streams", "sinks", "data", "verify", "cli"]),
  ...layer("src/model/**", ["clock", "operators", "streams", "sinks", "data", "verify", "cli"]),
  ...layer("src/data/**", ["clock", "operators", "streams", "sinks", "verify", "cli"]),
  ...layer("src/operators/**", ["streams", "sinks", "data", "verify", "cli"]),
  ...layer("src/sinks/**", ["operators", "streams", "data", "verify", "cli"]),
  ...layer("src/streams/**", ["data", "verify", "cli"]),
  // The checker of what a run wrote: the model and the shipped data, nothing that runs or does I/O.
  ...layer("src/verify/**", ["clock", "operators", "streams", "sinks", "cli"]),
  ...layer("src/*.ts", ["cli"]),
  {
    // Plain-JS scripts run on Node; their globals are Node's.
    files: ["**/*.mjs"],
    rules: { "no-undef": "off" },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**"],
    rules: {
      "no-restricted-globals": ["error", { name: "process", message: "only src/cli reads process" }],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "time comes from the scheduler" },
        { object: "Math", property: "random", message: "randomness comes from the seeded generator" }],
    },
  },
);
