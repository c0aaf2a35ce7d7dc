// Writes `retail-stream --help` into docs/cli.md between the cli-reference markers (`make docs`),
// or with --check exits 1 when the README's copy is out of date.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const help = execFileSync(process.execPath, [`${root}bin/retail-stream`, "--help"], {
  encoding: "utf8",
  env: { ...process.env, COLUMNS: "100" },
});
const block = `<!-- cli-reference:start -->\n\`\`\`\n${help.trimEnd()}\n\`\`\`\n<!-- cli-reference:end -->`;
const readme = readFileSync(`${root}docs/cli.md`, "utf8");
const updated = readme.replace(/<!-- cli-reference:start -->[\s\S]*<!-- cli-reference:end -->/, block);
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("docs/cli.md: the command-line reference is out of date; run `make docs`\n");
    process.exit(1);
  }
} else {
  writeFileSync(`${root}docs/cli.md`, updated);
}
