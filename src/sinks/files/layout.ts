// Where `--sink files` puts things in its directory: the data sets' parts, the staging area, and each run's
// position (what `--resume` reads), and how a resume clears what a stopped run left half done.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CommittedPosition } from "../sink.js";

/** The formats files are written in. */
export type FileFormat = "parquet" | "csv" | "jsonl";

export const FILE_EXTENSIONS: Readonly<Record<FileFormat, string>> = { parquet: "parquet", csv: "csv", jsonl: "jsonl" };

/** The folder of the tool's own files in a data set directory: positions and staging. */
const OWN = "_retail_stream";

/** A part's file name: the run's tag and the roll's number (`part-run-000001.parquet`). */
export function partName(tag: string, roll: number, format: FileFormat): string {
  return `part-${tag}-${String(roll).padStart(6, "0")}.${FILE_EXTENSIONS[format]}`;
}

/** Where a run stages its rows between rolls. */
export const stagingDir = (dir: string, tag: string): string => join(dir, OWN, `staging-${tag}`);

/** Where a run stood at its last roll: the roll's number and the records made by then. */
export interface FilesPosition extends CommittedPosition {
  roll: number;
  tag: string;
}

const positionFile = (dir: string, tag: string): string => join(dir, OWN, `${tag}.position.json`);

/** Writes a run's position whole (a temporary file renamed over the last). */
export function writePosition(dir: string, tag: string, position: FilesPosition): void {
  mkdirSync(join(dir, OWN), { recursive: true });
  const file = positionFile(dir, tag);
  writeFileSync(`${file}.tmp`, JSON.stringify(position));
  renameSync(`${file}.tmp`, file);
}

/** A run's last position, or undefined when it has none. */
export function readPosition(dir: string, tag: string): FilesPosition | undefined {
  const file = positionFile(dir, tag);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as FilesPosition) : undefined;
}

/** Every file under `dir` (but the tool's own folder), as paths relative to it. */
function partsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{
      name: string;
      parentPath: string;
      isFile(): boolean;
    }>
  )
    .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).includes(`/${OWN}/`))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A run's parts, with their roll numbers; a temporary file (a roll cut short) has its roll too. */
export function runParts(dir: string, tag: string): Array<{ file: string; roll: number; temporary: boolean }> {
  const name = new RegExp(`^part-${tag.replace(/[.]/g, "\\.")}-(\\d{6})\\.[a-z]+(\\.tmp)?$`);
  return partsUnder(dir).flatMap((file) => {
    const match = name.exec(file.slice(file.lastIndexOf("/") + 1));
    return match === null ? [] : [{ file, roll: Number(match[1]), temporary: match[2] !== undefined }];
  });
}

/**
 * Clears what a run left after its last committed roll (`roll`, 0 for none): temporary files and any part of a later
 * roll (renamed before the run stopped, but not recorded in its position). Returns how many files it removed.
 */
export function clearAfter(dir: string, tag: string, roll: number): number {
  const extra = runParts(dir, tag).filter((part) => part.temporary || part.roll > roll);
  for (const part of extra) rmSync(part.file, { force: true });
  return extra.length;
}
