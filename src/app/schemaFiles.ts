import { dirname } from "node:path";
import { avroSchemas, GENERATED, protobufSchema } from "../data/schemas.js";
import { SCHEMA_VERSIONS } from "../model/events.js";
import { profileOf } from "../model/profiles.js";
import { ensureFolder, writeOutput } from "./outputFiles.js";

/** `retail-stream schemas --write`: writes the Avro and Protobuf schemas generated from the JSON Schemas; returns the files. */
export function writeGeneratedSchemas(): string[] {
  const files: string[] = [];
  for (const version of SCHEMA_VERSIONS) {
    const avro = avroSchemas(version);
    for (const type of profileOf(version).eventTypes) {
      const file = GENERATED.avro(type, version);
      ensureFolder("--write", dirname(file));
      writeOutput("--write", file, JSON.stringify(avro[type], null, 2) + "\n");
      files.push(file);
    }
    writeOutput("--write", GENERATED.protobuf(version), protobufSchema(version));
    files.push(GENERATED.protobuf(version));
  }
  return files;
}
