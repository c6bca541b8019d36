/**
 * comprehensive — the api and websocket scenarios in one test, shapes from the profile. This is
 * what `gomeet-capacity run` executes.
 *
 *   setup: prove the target answers (GET /health, one login), then create the api meetings and the
 *          signaling meetings
 *   load:  `api` (open model, lib/k6/api-mix.ts) and `websocket` (sessions held through the hold
 *          window) start together
 *   end:   handleSummary writes the raw summary JSON to GOMEET_SUMMARY_PATH for the verdict
 */
import { commonOptions, apiScenario, thresholdsFor, websocketScenario } from '../lib/k6/options.ts';
import { readPlan } from '../lib/k6/plan.ts';
import { proveTargetAnswers, type SetupData } from '../lib/k6/setup.ts';
import { writeSummary } from '../lib/k6/summary.ts';
import { apiIteration, apiSetup } from './api.ts';
import { websocketSessions, websocketSetup } from './websocket.ts';

const plan = readPlan();

export const options = commonOptions(
  plan,
  { api: apiScenario(plan.profile.api), websocket: websocketScenario(plan.profile.websocket) },
  thresholdsFor(plan, ['api', 'websocket']),
);

export function setup(): SetupData {
  const user = proveTargetAnswers(plan);
  return { apiMeetings: apiSetup(user), wsMeetings: websocketSetup(user) };
}

export { apiIteration, websocketSessions };

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return writeSummary(data);
}
