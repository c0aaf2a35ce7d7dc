import winston from "winston";

/** A function that replaces each secret in a text by `[redacted]` (longest first, so no part of one survives). */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const sorted = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return (text) => text;
  return (text) => sorted.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}

/** winston to stderr (data goes to stdout or Kafka): `2026-11-26T17:00:00.000Z info  Event #12: …`, secrets scrubbed. */
export function createLogger(level: string, redact: (text: string) => string = (text) => text): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.printf(({ timestamp, level: lvl, message }) =>
        redact(`${String(timestamp)} ${lvl.padEnd(5)} ${String(message)}`),
      ),
    ),
    transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
  });
}
