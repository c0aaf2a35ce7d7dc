/**
 * How a pipeline's output is matched to the run's inputs: by a field holding the input's
 * `event_id` (a dotted path, `after.event_id` in a Debezium row), or, for a windowed aggregate, by
 * its window's fields (start and end: ISO 8601 text, or epoch ms), the window's last input.
 */
export type LatencyMatch = { by: "id"; field: string } | { by: "window"; start: string; end: string };

/** `event_id`, `after.event_id`, `window:window_start,window_end`; a problem text when it is none of them. */
export function parseLatencyMatch(text: string): LatencyMatch | string {
  const window = /^window:([\w.]+),([\w.]+)$/.exec(text.trim());
  if (window !== null) return { by: "window", start: window[1] as string, end: window[2] as string };
  if (/^[\w.]+$/.test(text.trim())) return { by: "id", field: text.trim() };
  return `"${text}" is not a field (event_id, after.event_id) or window:START_FIELD,END_FIELD`;
}
