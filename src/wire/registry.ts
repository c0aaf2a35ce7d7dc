// What the registry formats need of a Schema Registry: the Kafka I/O room's `SchemaRegistry`
// answers it over HTTP; a test answers it from memory.

/** Schema types as the registry names them (Avro is the default, named by omission). */
export type SchemaType = "AVRO" | "PROTOBUF" | "JSON";

/** A registered schema version. */
export interface Registered {
  id: number;
  schema: string;
  schemaType: SchemaType;
}

/** A Confluent-compatible Schema Registry, as the value encoders and decoders use it. */
export interface SchemaRegistryApi {
  /** Registers `schema` under `subject` (idempotent for the same schema); resolves with its id. */
  register(subject: string, schema: string, schemaType: SchemaType): Promise<number>;
  /** The latest version registered under `subject`. */
  latest(subject: string): Promise<Registered>;
  /** The schema of an id. */
  byId(id: number): Promise<Registered>;
  /** Sets the compatibility level of `subject`. */
  setCompatibility(subject: string, level: string): Promise<void>;
}
