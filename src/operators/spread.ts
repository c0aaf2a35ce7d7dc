import { Observable, type OperatorFunction } from "rxjs";

/**
 * Emits what `expand` makes of each value, in order, synchronously: the same
 * as `mergeMap((v) => from(expand(v)))` for arrays, without an inner
 * observable and subscription per value (at full speed, one per record).
 *
 * @example
 * // spread((n) => [n, n * 10]):
 * // source: a-b|        (a = 1, b = 2)
 * // result: (wx)-(yz)|  (1, 10, 2, 20)
 */
export function spread<T, R>(expand: (value: T) => readonly R[]): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next(value) {
          const out = expand(value);
          for (let i = 0; i < out.length && !subscriber.closed; i += 1) subscriber.next(out[i] as R);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
