import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.js";

const reason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM"
    ? "permission denied"
    : code === "EROFS"
      ? "read-only file system"
      : code === "ENOENT"
        ? "its folder does not exist"
        : (code ?? (error as Error).message);
};

/**
 * Makes sure `dir` is a folder that can be written, creating it (and missing
 * parents) one level at a time: a recursive mkdir under a pseudo file system
 * such as /proc never returns.
 */
export function ensureFolder(flag: string, dir: string): void {
  const path = resolve(dir);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new ConfigError([`${flag} ${dir}: exists and is not a folder`]);
    return;
  }
  const parent = dirname(path);
  if (parent !== path) ensureFolder(flag, parent);
  try {
    mkdirSync(path);
  } catch (error) {
    throw new ConfigError([`${flag} ${dir}: cannot create the folder (${reason(error)})`]);
  }
}

/** Writes a file the user named; a place that cannot be written is one `ConfigError` line naming the flag. */
/** Makes sure `file` can be appended to (creating it empty); a place that cannot be written is a `ConfigError` naming the flag. */
export function appendOutput(flag: string, file: string): void {
  const path = resolve(file);
  if (existsSync(path) && !statSync(path).isFile())
    throw new ConfigError([`${flag} ${file}: exists and is not a regular file`]);
  try {
    appendFileSync(path, "");
  } catch (error) {
    throw new ConfigError([`${flag} ${file}: cannot be written (${reason(error)})`]);
  }
}

export function writeOutput(flag: string, file: string, text: string): void {
  const path = resolve(file);
  if (existsSync(path) && !statSync(path).isFile())
    throw new ConfigError([`${flag} ${file}: exists and is not a regular file`]);
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new ConfigError([`${flag} ${file}: cannot be written (${reason(error)})`]);
  }
}
