/**
 * What CI reads from `search`: 0 the knee was found, or every load up to max held · 1 below start
 * (the first load already misses a target, as `run` would say WARN/NO_GO) · 3 the search could not
 * conclude. (2, bad input, is thrown as a UsageError before anything starts.)
 */
import { EXIT } from '../exit-codes.ts';
import type { SearchResult } from './knee.ts';

export function exitCodeOf(result: SearchResult): number {
  switch (result.kind) {
    case 'knee':
    case 'at-least-max':
      return EXIT.go;
    case 'below-start':
      return EXIT.noGo;
    case 'inconclusive':
      return EXIT.inconclusive;
  }
}
