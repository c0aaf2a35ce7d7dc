import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_VERSIONS } from "../../src/model/events.js";
import { LATEST_VERSION, isSchemaVersion, profileOf, profileOfValue } from "../../src/model/profiles.js";

const SRC = new URL("../../src", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("schema version profiles", () => {
  it("should be the one place that compares version numbers: the rest of src asks a profile", () => {
    const comparison =
      /\b(?:schema_?[vV]ersion|[vV]ersion)\b\s*(?:===|!==|>=|<=|>|<)\s*\d|\d\s*(?:===|!==|>=|<=|>|<)\s*\b(?:schema_?[vV]ersion|[vV]ersion)\b/;
    const found = files(SRC)
      .filter((file) => !file.endsWith("model/profiles.ts"))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => [`${file.slice(SRC.length)}:${i + 1}`, line] as const),
      )
      .filter(([, line]) => comparison.test(line))
      .map(([where, line]) => `${where}: ${line.trim()}`);
    expect(found).to.deep.equal([]);
  });

  it("should have a profile for every version, each extending the one before, the latest the default", () => {
    for (const version of SCHEMA_VERSIONS) {
      expect(profileOf(version).version).to.equal(version);
      const previous = profileOf(version).previous;
      if (previous !== undefined)
        expect(SCHEMA_VERSIONS.indexOf(previous)).to.equal(SCHEMA_VERSIONS.indexOf(version) - 1);
    }
    expect(LATEST_VERSION).to.equal(SCHEMA_VERSIONS.at(-1));
    expect(isSchemaVersion(4)).to.equal(false);
    expect(profileOfValue(undefined)).to.equal(profileOf(SCHEMA_VERSIONS[0]));
  });
});
