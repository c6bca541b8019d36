/**
 * LiveKit node count: how many SFU nodes report to the target's Prometheus (every livekit-server
 * metric carries its node_id). The seed runs 25 (HPA 15–50), scaling up past 400 participants per
 * node — so the planned rooms need ⌈participants / 400⌉ nodes at least.
 */
import type { Target } from '../../lib/config/target.ts';
import { SEED_SIZING, sfuNodesFor } from '../../thresholds/sizing.ts';
import { judgeCapacity, type PlannedLoad } from '../capacity.ts';
import { describeError, type Check } from '../check.ts';

/** SFU nodes scraped now: one series per node_id of a gauge every livekit-server exports, counting
 *  only series sampled in the last minute. A restarted livekit-server reports a new node_id, and
 *  when Prometheus restarted too (a kept data dir) the old node's series gets no staleness marker:
 *  an instant query would count it for the whole 5-minute lookback. A minute covers scrape
 *  intervals up to 30 s with one scrape missed. */
export const LIVEKIT_NODES_QUERY = 'count(count by (node_id) (timestamp(livekit_room_total{node_type="SERVER"}) > time() - 60))';

export function livekitNodesCheck(target: Target, required: boolean, load?: PlannedLoad): Check {
  const seed = SEED_SIZING.sfu;
  const seedText = `≥ ${seed.minNodes} nodes (seed: ${seed.nodes}, HPA ${seed.minNodes}–${seed.maxNodes})`;
  const need = load ? sfuNodesFor(load.sfuParticipants) : undefined;
  return {
    name: 'livekit nodes',
    // Blocks load when the profile gates media (as the LiveKit check does); an unreadable count is
    // a warning only — Prometheus' own check says whether that blocks.
    required,
    async run(signal) {
      const url = new URL('/api/v1/query', target.prometheus.url);
      url.searchParams.set('query', LIVEKIT_NODES_QUERY);
      let count: number;
      try {
        const res = await fetch(url, { signal });
        const body = (await res.json()) as { status: string; error?: string; data?: { result?: { value: [number, string] }[] } };
        if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${res.status}`);
        count = Number(body.data?.result?.[0]?.value[1] ?? 0);
      } catch (err) {
        return { status: 'warn', observed: `Prometheus: ${describeError(err)}`, expected: seedText, fix: 'the node count is read from Prometheus (livekit_* metrics); is prometheus.url right?' };
      }
      if (count === 0) return { status: 'warn', observed: 'no livekit_* series in Prometheus', expected: seedText, fix: "add livekit-server's prometheus port to Prometheus' scrape targets" };
      const judged = judgeCapacity({ observed: count, seedMin: seed.minNodes, need, load, seedText });
      const perNode = load ? `; ${load.profile}: ${load.sfuParticipants} participants at ${seed.participantsPerNode} per node` : '';
      return { ...judged, observed: `${count} node${count === 1 ? '' : 's'} reporting${perNode}`, fix: judged.status === 'pass' ? undefined : `the seed runs ${seed.nodes} SFU nodes (HPA ${seed.minNodes}–${seed.maxNodes})` };
    },
  };
}
