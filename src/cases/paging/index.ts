/**
 * Paging modes, by id: one file per mode, each a walk that checks the invariants a consumer
 * relies on (every entry once, the walk ends, no page larger than asked, counts agree).
 * A spec response names its mode in `x-cases[].paging`.
 */
import type { Scenario } from '../context.ts';
import { hydraLegacy, hydraView } from './hydra.ts';
import { offsetLimit } from './offset-limit.ts';
import { pageToken } from './page-token.ts';
import { skipLimit } from './skip-limit.ts';

export const PAGING: Readonly<Record<string, Scenario>> = {
  'hydra-view': hydraView,
  'hydra-legacy': hydraLegacy,
  'skip-limit': skipLimit,
  'page-token': pageToken,
  'offset-limit': offsetLimit,
};
