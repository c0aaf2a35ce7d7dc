import { SinkError } from "../../errors.js";
import type { Registered, SchemaRegistryApi, SchemaType } from "../../wire/registry.js";

export type { Registered, SchemaType } from "../../wire/registry.js";

/**
 * A client of the Confluent-compatible Schema Registry API (Confluent's, or
 * Apicurio's `/apis/ccompat/v7`): register a subject's schema, read its latest
 * version or a schema by id, set its compatibility. Every failure is a
 * `SinkError` in one line that says what to do.
 */
export class SchemaRegistry implements SchemaRegistryApi {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  /**
   * @param url the registry's base URL (`http://127.0.0.1:8081/apis/ccompat/v7`)
   * @param userInfo `user:password` for HTTP basic authentication (`basic.auth.user.info`)
   */
  constructor(
    url: string,
    userInfo?: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.base = url.replace(/\/+$/, "");
    this.headers = {
      "Content-Type": "application/vnd.schemaregistry.v1+json",
      ...(userInfo === undefined ? {} : { Authorization: `Basic ${Buffer.from(userInfo).toString("base64")}` }),
    };
  }

  /** Registers `schema` under `subject` (idempotent for the same schema); resolves with its id. */
  async register(subject: string, schema: string, schemaType: SchemaType): Promise<number> {
    const body = JSON.stringify(schemaType === "AVRO" ? { schema } : { schema, schemaType });
    const answer = await this.call("POST", `/subjects/${encodeURIComponent(subject)}/versions`, body, subject);
    return (answer as { id: number }).id;
  }

  /** The latest version registered under `subject`. */
  async latest(subject: string): Promise<Registered> {
    const answer = (await this.call(
      "GET",
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
      undefined,
      subject,
    )) as { id: number; schema: string; schemaType?: SchemaType };
    return { id: answer.id, schema: answer.schema, schemaType: answer.schemaType ?? "AVRO" };
  }

  /** The schema registered with `id`. */
  async byId(id: number): Promise<Registered> {
    const answer = (await this.call("GET", `/schemas/ids/${id}`, undefined, `schema ${id}`)) as {
      schema: string;
      schemaType?: SchemaType;
    };
    return { id, schema: answer.schema, schemaType: answer.schemaType ?? "AVRO" };
  }

  /** Sets the compatibility a subject's next versions are checked against (`BACKWARD`, …). */
  async setCompatibility(subject: string, level: string): Promise<void> {
    await this.call("PUT", `/config/${encodeURIComponent(subject)}`, JSON.stringify({ compatibility: level }), subject);
  }

  /** A subject's compatibility level. */
  async compatibility(subject: string): Promise<string> {
    const answer = (await this.call("GET", `/config/${encodeURIComponent(subject)}`, undefined, subject)) as {
      compatibilityLevel?: string;
      compatibility?: string;
    };
    return answer.compatibilityLevel ?? answer.compatibility ?? "";
  }

  private async call(method: string, path: string, body: string | undefined, what: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new SinkError(
        `cannot reach the schema registry at ${this.base} (${cause?.code ?? cause?.message ?? (error as Error).message})`,
      );
    }
    const text = await response.text();
    if (response.ok) return text === "" ? {} : (JSON.parse(text) as unknown);
    const message = (() => {
      try {
        return (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        return text;
      }
    })()
      .split("\n")[0]
      ?.slice(0, 300);
    if (response.status === 401 || response.status === 403)
      throw new SinkError(
        `the schema registry at ${this.base} refused the credentials (HTTP ${response.status}): check basic.auth.user.info`,
      );
    if (response.status === 409)
      throw new SinkError(
        `the schema registry refused the schema of ${what} as incompatible with its registered versions (HTTP 409: ${message})`,
      );
    if (response.status === 404) throw new SinkError(`the schema registry has no ${what} (HTTP 404: ${message})`);
    throw new SinkError(`the schema registry answered HTTP ${response.status} for ${what}: ${message}`);
  }
}
