import { appendFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SinkError } from "../../errors.js";
import { isPrimary } from "../../model/events.js";
import { isEvent, isLabel, isReference, isTruth, type OutRecord } from "../../wire/envelope.js";
import { jsonText } from "../../wire/jsonValue.js";
import type { LakeColumns } from "../../wire/lakeColumns.js";
import type { DeliveryTotals, RunIdentity, Sink, SinkTotals, Transactional } from "../sink.js";
import { FILE_EXTENSIONS, partName, stagingDir, writePosition, type FileFormat, type FilesPosition } from "./layout.js";

/** Writes the rows staged as JSON lines in one file to another, typed and in a format (DuckDB's, by default). */
export interface TableWriter {
  write(staged: string, target: string, columns: LakeColumns, format: FileFormat): Promise<void>;
  close(): Promise<void>;
}

/** How `--sink files` writes. */
export interface FilesSinkSettings {
  dir: string;
  format: FileFormat;
  /** Rows written before the files roll (all data sets together). */
  rows: number;
  /** Event time between rolls, ms (none: by rows and at the end only). */
  everyMs?: number;
  /** Names this run's files (`part-TAG-000001.parquet`): the run's id, its shard, or `run`. */
  tag: string;
  /** Each data set's columns. */
  columns: Readonly<Record<string, LakeColumns>>;
  writer: TableWriter;
  /** The roll an earlier run committed last (a resume's): this run's rolls follow it. */
  firstRoll?: number;
  /** Whether each roll records where the run stands (`--transactional-id`), for `--resume`. */
  transactional: boolean;
  log: { info: (m: string) => void };
}

/** One data set's rows of one date, staged for the next roll. */
interface Bucket {
  dataset: string;
  /** `YYYY-MM-DD`, or undefined for a data set without dates (the reference data). */
  date: string | undefined;
  text: string;
  rows: number;
}

/** A roll on its way to disk: its buckets and where the run stands once it is there. */
interface Roll {
  number: number;
  buckets: Bucket[];
  rows: number;
  position: { records: number; primary: number; time: number };
}

/** Staged text goes to its file in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/**
 * The records as data sets in a directory, one per event type (and `stores`, `products`, `truth`, `labels`),
 * partitioned by date the way a lake holds them (`sale/event_date=2026-11-02/part-run-000001.parquet`). Rows are
 * staged as JSON lines; at each roll (by rows, by event time, at the end) every staged data set and date becomes
 * one file, written under a temporary name and renamed whole, so a reader never sees half a file; with
 * `transactional`, the run's position is written (renamed whole too) once all of a roll's files are there.
 */
export class FilesSink implements Sink {
  private produced = 0;
  private delivered = 0;
  private failed = 0;
  private peak = 0;
  private buckets = new Map<string, Bucket>();
  private staged = 0;
  private rollStart: number | undefined;
  private nextRoll: number;
  private readonly queue: Roll[] = [];
  private writing: Promise<void> | undefined;
  private broken: string | undefined;
  private readonly closedListeners: Array<(reason: string, failed: boolean) => void> = [];
  private readonly waiting: Array<() => void> = [];
  private readonly made = { records: 0, primary: 0, time: 0 };
  private identity: RunIdentity | undefined;
  private skip = 0;
  private replayedCount = 0;
  private rollsCommitted = 0;
  private readonly staging: string;
  readonly transactional?: Transactional;

  constructor(private readonly settings: FilesSinkSettings) {
    this.nextRoll = (settings.firstRoll ?? 0) + 1;
    this.staging = stagingDir(settings.dir, settings.tag);
    rmSync(this.staging, { recursive: true, force: true });
    mkdirSync(this.staging, { recursive: true });
    if (settings.transactional) {
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const sink = this;
      this.transactional = {
        resumeAt(identity, skip) {
          sink.identity = identity;
          sink.skip = skip;
        },
        get committed() {
          return sink.delivered;
        },
        get replayed() {
          return sink.replayedCount;
        },
        get transactions() {
          return { committed: sink.rollsCommitted, aborted: 0 };
        },
      };
    }
  }

  /** Holds the driver while rolls wait to be written. */
  get held(): boolean {
    return this.queue.length > 1 || (this.queue.length === 1 && this.staged >= this.settings.rows);
  }

  whenReady(resume: () => void): void {
    if (this.held) this.waiting.push(resume);
    else resume();
  }

  onClosed(listener: (reason: string, failed: boolean) => void): void {
    this.closedListeners.push(listener);
  }

  write(record: OutRecord): void {
    this.made.records += 1;
    if (isEvent(record)) {
      if (isPrimary(record.value)) this.made.primary += 1;
      this.made.time = record.timestamp;
    }
    // What an earlier run committed is made again, not written.
    if (this.made.records <= this.skip) {
      this.replayedCount += 1;
      return;
    }
    this.produced += 1;
    if (this.broken !== undefined) {
      this.failed += 1;
      return;
    }
    const { dataset, date, time } = placeOf(record);
    // A roll by time holds the records of at most `everyMs` of event time: this one may start the next.
    const { everyMs, rows } = this.settings;
    if (everyMs !== undefined && this.rollStart !== undefined && time - this.rollStart >= everyMs) this.roll();
    const key = date === undefined ? dataset : `${dataset}/${date}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.settings.columns[dataset] === undefined) throw new Error(`no columns for the data set ${dataset}`);
      bucket = { dataset, date, text: "", rows: 0 };
      this.buckets.set(key, bucket);
    }
    bucket.text += `${jsonText(record.value)}\n`;
    bucket.rows += 1;
    if (bucket.text.length >= CHUNK) this.stage(bucket);
    this.staged += 1;
    this.peak = Math.max(this.peak, this.produced - this.delivered - this.failed);
    this.rollStart ??= time;
    if (this.staged >= rows) this.roll();
  }

  totals(): SinkTotals {
    return {
      produced: this.produced,
      delivered: this.delivered,
      failed: this.failed,
      inFlight: this.produced - this.delivered - this.failed,
      peakInFlight: this.peak,
    };
  }

  async close(timeoutMs: number): Promise<DeliveryTotals> {
    if (this.staged > 0 && this.broken === undefined) this.roll();
    const deadline = performance.now() + timeoutMs;
    while (this.writing !== undefined && performance.now() < deadline)
      await Promise.race([this.writing, new Promise((r) => setTimeout(r, 50))]);
    // A roll not written in time failed: its files are not there (a temporary one may be, and a resume removes it).
    for (const roll of this.queue.splice(0)) this.failed += roll.rows;
    this.failed += this.staged;
    this.staged = 0;
    if (this.writing === undefined) {
      await this.settings.writer.close().catch(() => undefined);
      rmSync(this.staging, { recursive: true, force: true });
    }
    return { produced: this.produced, delivered: this.delivered, failed: this.failed };
  }

  /** Appends a bucket's text to its staging file. */
  private stage(bucket: Bucket): void {
    appendFileSync(this.stagedFile(bucket, this.nextRoll), bucket.text);
    bucket.text = "";
  }

  private stagedFile(bucket: Pick<Bucket, "dataset" | "date">, roll: number): string {
    return join(this.staging, `${roll}-${bucket.dataset}-${bucket.date ?? "all"}.jsonl`);
  }

  /** Seals what is staged as the next roll and queues it for writing. */
  private roll(): void {
    const buckets = [...this.buckets.values()];
    for (const bucket of buckets) if (bucket.text !== "") this.stage(bucket);
    this.queue.push({ number: this.nextRoll, buckets, rows: this.staged, position: { ...this.made } });
    this.nextRoll += 1;
    this.buckets = new Map();
    this.staged = 0;
    this.rollStart = undefined;
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && this.broken === undefined) {
      const roll = this.queue[0] as Roll;
      try {
        await this.commit(roll);
        this.delivered += roll.rows;
        this.rollsCommitted += 1;
      } catch (error) {
        this.failed += roll.rows;
        this.broken = `writing ${this.settings.dir}: ${(error as Error).message.split("\n")[0]}`;
        for (const rest of this.queue.splice(1)) this.failed += rest.rows;
        this.failed += this.staged;
        this.staged = 0;
        this.buckets = new Map();
        for (const listener of this.closedListeners) listener(this.broken, true);
      }
      this.queue.shift();
      if (!this.held) for (const resume of this.waiting.splice(0)) resume();
    }
    this.writing = undefined;
  }

  /** A roll's files, each written under a temporary name, then all renamed; then the run's position. */
  private async commit(roll: Roll): Promise<void> {
    const { dir, format, tag, columns, writer } = this.settings;
    const done: Array<[string, string]> = [];
    for (const bucket of roll.buckets) {
      const folder =
        bucket.date === undefined ? join(dir, bucket.dataset) : join(dir, bucket.dataset, `event_date=${bucket.date}`);
      mkdirSync(folder, { recursive: true });
      const target = join(folder, partName(tag, roll.number, format));
      const temporary = `${target}.tmp`;
      const staged = this.stagedFile(bucket, roll.number);
      await writer.write(staged, temporary, columns[bucket.dataset] as LakeColumns, format);
      rmSync(staged, { force: true });
      done.push([temporary, target]);
    }
    for (const [temporary, target] of done) renameSync(temporary, target);
    if (this.settings.transactional) {
      if (this.identity === undefined)
        throw new SinkError("a run with an id writes only once resumeAt() has set where it starts");
      const position: FilesPosition = { roll: roll.number, ...roll.position, identity: this.identity, tag };
      writePosition(dir, tag, position);
    }
  }
}

/** The data set a record goes to, the date it is filed under (none for reference data), and its time. */
function placeOf(record: OutRecord): { dataset: string; date: string | undefined; time: number } {
  if (isReference(record)) return { dataset: `${record.headers.event_type}s`, date: undefined, time: record.timestamp };
  if (isTruth(record))
    return { dataset: "truth", date: record.value.window_start.slice(0, 10), time: record.timestamp };
  if (isLabel(record)) return { dataset: "labels", date: record.value.start_time.slice(0, 10), time: record.timestamp };
  const value = record.value as { event_type?: unknown; event_time?: unknown };
  // An event time nulled on purpose (`--faults nulls`) files the event by its record's time.
  const time = typeof value.event_time === "string" ? value.event_time : new Date(record.timestamp).toISOString();
  return {
    dataset: String(value.event_type ?? record.headers.event_type),
    date: time.slice(0, 10),
    time: record.timestamp,
  };
}

export { FILE_EXTENSIONS };
