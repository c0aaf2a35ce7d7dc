// The columns of the data sets `--sink files` writes, typed as a lake holds them: times as timestamps (UTC),
// amounts as DECIMAL(12,2), ids and codes as text. The events' columns come from their JSON Schemas (every
// version's fields, so a run that rolls versions out writes one table per type); the rest are declared here.
import { MONEY_FIELDS } from "./jsonValue.js";

/** A column's type, as DuckDB (and Parquet, through it) names it. */
export type LakeType =
  "VARCHAR" | "INTEGER" | "BIGINT" | "DOUBLE" | "BOOLEAN" | "DECIMAL(12,2)" | "TIMESTAMPTZ" | "JSON" | "VARCHAR[]";

/** A data set's columns, in order. */
export type LakeColumns = ReadonlyArray<readonly [name: string, type: LakeType]>;

interface PropertySchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  $comment?: string;
}

const MONEY = new Set<string>(MONEY_FIELDS);

/** The type of a JSON Schema property: an exact amount, a time (its pattern an ISO instant), a whole number, text. */
function typeOf(name: string, property: PropertySchema): LakeType {
  if (MONEY.has(name) || property.$comment?.includes("decimal(12,2)") === true) return "DECIMAL(12,2)";
  const types = new Set([property.type ?? []].flat());
  if (property.const !== undefined) types.add(typeof property.const === "number" ? "integer" : "string");
  if (types.has("integer")) return name === "schema_version" ? "INTEGER" : "BIGINT";
  if (types.has("number")) return "DOUBLE";
  if (types.has("boolean")) return "BOOLEAN";
  if (property.pattern?.startsWith("^\\d{4}-\\d{2}-\\d{2}T") === true) return "TIMESTAMPTZ";
  return "VARCHAR";
}

/**
 * The columns of an event type's data set from its JSON Schemas, newest version first: every field any version has,
 * in the newest version's order, then older versions' own fields.
 */
export function eventColumns(schemas: ReadonlyArray<{ properties: Record<string, PropertySchema> }>): LakeColumns {
  const columns = new Map<string, LakeType>();
  for (const schema of schemas)
    for (const [name, property] of Object.entries(schema.properties))
      if (!columns.has(name)) columns.set(name, typeOf(name, property));
  return [...columns];
}

const text = (...names: string[]): LakeColumns => names.map((name) => [name, "VARCHAR"] as const);
const count = (...names: string[]): LakeColumns => names.map((name) => [name, "BIGINT"] as const);
const money = (...names: string[]): LakeColumns => names.map((name) => [name, "DECIMAL(12,2)"] as const);

/** The chain's stores and products (reference data), the ground truth's windows (every kind's fields) and the anomaly labels. */
export const OTHER_COLUMNS = {
  stores: [
    ...text("store_id", "name", "city", "region", "timezone", "channel", "currency"),
    ["schema_version", "INTEGER"],
  ],
  products: [
    ...text("product_id", "name", "category", "brand"),
    ...money("base_price"),
    ...text("currency"),
    ["schema_version", "INTEGER"],
  ],
  truth: [
    ["window_start", "TIMESTAMPTZ"],
    ["window_end", "TIMESTAMPTZ"],
    ["complete", "BOOLEAN"],
    ...text("kind", "store_id", "channel", "shard", "category"),
    ...count("transactions", "units", "lines", "customers_entered"),
    ...money("revenue", "avg_basket"),
    ...count("returns", "units_returned", "units_restocked"),
    ...money("refunds", "net_revenue"),
    ...count("payments_declined"),
    ["median_hours_to_delivery", "DOUBLE"],
    ["closing_stock", "JSON"],
    ["events", "JSON"],
    ["statuses", "JSON"],
  ],
  labels: [
    ...text("label_id", "kind"),
    ["start_time", "TIMESTAMPTZ"],
    ["end_time", "TIMESTAMPTZ"],
    ...text("store_id", "product_id", "customer_id", "detail"),
    ["event_ids", "VARCHAR[]"],
    ["events", "BIGINT"],
  ],
} as const satisfies Record<string, LakeColumns>;
