/**
 * The API scenario's request mix: what one iteration (one request) does, chosen by weight.
 * Weights are what a meeting platform's API sees — mostly reads, few creates. Pure: unit-tested in Node.
 */

/** One action per API endpoint; the name is also the `endpoint` tag of its request. */
export type ApiAction =
  | 'auth_login'
  | 'meeting_list'
  | 'meeting_get'
  | 'meeting_create'
  | 'meeting_join'
  | 'chat_send'
  | 'chat_history';

/** Relative weights (they sum to 100, so each reads as a percentage). */
export const API_MIX: ReadonlyArray<{ action: ApiAction; weight: number }> = [
  { action: 'auth_login', weight: 10 },
  { action: 'meeting_list', weight: 30 },
  { action: 'meeting_get', weight: 20 },
  { action: 'meeting_create', weight: 5 },
  { action: 'meeting_join', weight: 15 },
  { action: 'chat_send', weight: 10 },
  { action: 'chat_history', weight: 10 },
];

const TOTAL_WEIGHT = API_MIX.reduce((sum, e) => sum + e.weight, 0);

/** The action for a uniform random number r in [0, 1). */
export function pickAction(r: number): ApiAction {
  let point = r * TOTAL_WEIGHT;
  for (const entry of API_MIX) {
    if (point < entry.weight) return entry.action;
    point -= entry.weight;
  }
  // r rounding up to exactly TOTAL_WEIGHT lands here: the last action.
  return API_MIX[API_MIX.length - 1]!.action;
}
