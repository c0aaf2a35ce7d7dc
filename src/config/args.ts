import type { ArgsOf, STREAM_OPTIONS } from "./optionTable.js";

/** The options of a stream run as yargs hands them over (text untouched, so messages can quote it): derived from the option table. */
export type RawArgs = ArgsOf<typeof STREAM_OPTIONS>;
