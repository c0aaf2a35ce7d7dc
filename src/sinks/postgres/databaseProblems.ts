// How a database failure is said (never with the password) and which failures are waited out.

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(a URL that does not parse)";
  }
}

/** A database failure in this tool's words: what to check, never the password. */
export function problemOf(error: unknown, url: string): string {
  const e = error as { code?: string; message?: string };
  const where = safeUrl(url);
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "ETIMEDOUT")
    return `cannot reach PostgreSQL at ${where} (${e.code})`;
  if (e.code === "28P01" || e.code === "28000")
    return `PostgreSQL at ${where} refused the credentials: check the user and password (${e.message ?? ""})`;
  if (e.code === "3D000") return `PostgreSQL at ${where}: ${e.message ?? "no such database"}`;
  if (e.code === "42501")
    return `PostgreSQL at ${where}: a missing privilege (${e.message ?? ""}); grant it, or make the tables beforehand and use --create-tables never`;
  return `PostgreSQL at ${where}: ${e.message ?? String(error)}`;
}

/** The error codes after which a transaction is tried again (the server went away or restarts). */
export const TRANSIENT = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08003",
  "08006",
]);
