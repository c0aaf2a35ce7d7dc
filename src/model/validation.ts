import { ConfigError } from "../errors.js";
import { createRequire } from "node:module";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";

/**
 * The validator, loaded when first asked for: a run of the shipped chain without a scenario validates nothing, and
 * loading ajv cost a sixth of its start.
 */
let ajv: Ajv2020 | undefined;
function validator(): Ajv2020 {
  if (ajv === undefined) {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
    // strictNumbers: NaN and Infinity (possible in a scenario .mjs) are not numbers here.
    // verbose: a failed `pattern` is explained by its schema's `description`.
    // strictRequired off: the event schemas require a field under a condition (`if`/`then`) that the branch itself does not declare.
    ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictNumbers: true, verbose: true });
  }
  return ajv;
}
const compiled = new WeakMap<object, ValidateFunction>();

/** The value at a JSON pointer (`/3/timezone`) in `data`. */
function at(data: unknown, pointer: string): unknown {
  let value = data;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

const shown = (value: unknown): string => {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** Why a field a schema forbids in some cases is forbidden, by field name. */
const FORBIDDEN_WHY: Record<string, string> = {
  opening_hours: ': an online shop (channel "online") is always open',
  online_share: ': only an online shop (channel "online") has an online_share',
};

/** One readable problem per schema error: the JSON pointer, then what is wrong and what was found. */
function describe(error: ErrorObject, data: unknown): string {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const value = at(data, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as { description?: string; minItems?: number; maxItems?: number } | undefined;
  if (error.propertyName !== undefined)
    return `${path}: "${error.propertyName}" must be ${parent?.description ?? "a valid name"}`;
  switch (error.keyword) {
    case "required":
      return `${path}: missing field "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `${path}: unknown field "${String(params.additionalProperty)}"`;
    case "enum":
      return `${path}: must be one of ${(params.allowedValues as unknown[]).map((v) => String(v)).join(", ")}, got ${shown(value)}`;
    case "type":
      return `${path}: must be ${params.type === "number" ? "a finite number" : `of type ${String(params.type)}`}, got ${shown(value)}`;
    case "false schema":
      return `${path}: not allowed here${FORBIDDEN_WHY[error.instancePath.split("/").at(-1) ?? ""] ?? ""}`;
    case "contains":
      return `${path}: needs at least one value above 0, got ${shown(value)}`;
    case "minItems":
    case "maxItems":
      if (parent?.minItems === parent?.maxItems)
        return `${path}: needs exactly ${String(parent?.minItems)} items, got ${Array.isArray(value) ? value.length : shown(value)}`;
      if (params.limit === 1) return `${path}: the list is empty`;
      break;
    case "pattern":
      if (parent?.description !== undefined) return `${path}: must be ${parent.description}, got ${shown(value)}`;
      break;
    default:
      break;
  }
  return `${path}: ${String(error.message)}, got ${shown(value)}`;
}

/**
 * Every way `data` breaks `schema` (JSON Schema 2020-12, through ajv), each as
 * `<where>: <JSON pointer>: <problem>`; empty when it conforms.
 *
 * @param schema the schema (compiled once per object)
 * @param data the parsed input
 * @param where names the input (a file, a flag)
 */
export function schemaProblems(schema: object, data: unknown, where: string): string[] {
  let validate = compiled.get(schema);
  if (validate === undefined) compiled.set(schema, (validate = validator().compile(schema)));
  if (validate(data)) return [];
  // The items a failed `contains` tried, and the umbrella error over property names, say nothing the rest doesn't.
  const errors = (validate.errors ?? []).filter(
    (e) => !e.schemaPath.includes("/contains/") && e.keyword !== "propertyNames" && e.keyword !== "if",
  );
  return [...new Set(errors.map((e) => `${where}: ${describe(e, data)}`))];
}

/** A JSON document's parse, or the problem naming `where`. */
export function parseJson(text: string, where: string): { data?: unknown; problem?: string } {
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `${where}: not valid JSON (${(error as Error).message})` };
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A file's bytes as UTF-8 text (a byte-order mark dropped); other encodings are a `ConfigError` naming `where`, not mojibake. */
export function utf8Text(bytes: Uint8Array, where: string): string {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new ConfigError([`${where}: not UTF-8 text; save it as UTF-8`]);
  }
  if (text.includes("\u0000")) throw new ConfigError([`${where}: holds NUL bytes (UTF-16?); save it as UTF-8`]);
  return text.replace(/^\uFEFF/, "");
}
