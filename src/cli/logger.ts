import winston from "winston";

/** winston to stderr (data goes to stdout or Kafka): `2026-11-26T17:00:00.000Z info  Event #12: …`. */
export function createLogger(level: string): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.printf(({ timestamp, level: lvl, message }) => `${String(timestamp)} ${lvl.padEnd(5)} ${String(message)}`),
    ),
    transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
  });
}
