/**
 * The generation of the stream: raised whenever the same seed and options come to make other
 * records, so a checkpoint made before is not resumed and `--version` says which stream a build
 * makes. 1: the first; 2: every visit ends (an `exit` within its length and its store's hours);
 * 3: one stream however it is split (a skeleton drawn alike by every shard, each store's events from
 * its own generator, customers by home store, faults drawn per record, `--count` counting primary ticks).
 */
export const STREAM_GENERATION = 3;
