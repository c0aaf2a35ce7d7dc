import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
  // Which way the rooms of src/ import is checked by dependency-cruiser (.dependency-cruiser.cjs, `make lint`).
  {
    // Plain-JS scripts run on Node; their globals are Node's.
    files: ["**/*.mjs", "**/*.cjs"],
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
