/** The domain's size limits, shared by the api routes, the signaling frames and the seed. */

/** Longest chat message, in characters (API and signaling alike). */
export const CHAT_TEXT_MAX = 2000;
/** A meeting's maxParticipants when the creator gives none: the seed's room size. */
export const DEFAULT_MAX_PARTICIPANTS = 500;
/** Largest maxParticipants a meeting may ask for. */
export const MAX_PARTICIPANTS_CAP = 10_000;
/** `?limit=` of list and history: default, and the cap the contract names (larger is clamped). */
export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;

/** `?limit=` as a number: the default when absent or unreadable; larger values clamped, not refused
 *  (a load script asking for 500 should get 100 rows, not an error). */
export function clampLimit(raw: unknown): number {
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(n) || n < 1) return LIST_LIMIT_DEFAULT;
  return Math.min(Math.floor(n), LIST_LIMIT_MAX);
}
