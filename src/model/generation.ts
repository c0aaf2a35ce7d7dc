/**
 * The generation of the stream: raised whenever the same seed and options come to make other
 * records, so a checkpoint made before is not resumed and `--version` says which stream a build
 * makes. 1: the first; 2: every visit ends (an `exit` within its length and its store's hours).
 */
export const STREAM_GENERATION = 2;
