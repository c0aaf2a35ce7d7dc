/** Bad input from the user (flags, config or data files): exit code 2. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("; "));
  }
}

/** The sink could not do its job (broker unreachable, undelivered messages): exit code 1. */
export class SinkError extends Error {
  override readonly name = "SinkError";
}
