/**
 * Puts one fault of the table in place: the proxies the run's target points at (toxiproxy in front
 * of the API and every signaling listener; the HTTP 503 proxy or the connection-cap proxy where the
 * fault needs them), and the action taken at the fault time. `restore()` undoes everything and
 * brings the stack back whole for the next fault.
 */
import type { Target } from '../../lib/config/target.ts';
import type { StackContext } from '../../scripts/stack/component.ts';
import { componentNamed } from '../../scripts/stack/components/index.ts';
import { stackDown } from '../../scripts/stack/down.ts';
import { stackUp } from '../../scripts/stack/up.ts';
import { startConnectionCapProxy, type ConnectionCapProxy } from '../../test/helpers/connection-cap-proxy.ts';
import type { Fault } from './faults.ts';
import { startHttp5xxProxy, type Http5xxProxy } from './http-5xx-proxy.ts';
import type { Toxiproxy } from './toxiproxy.ts';

export interface Prepared {
  /** The target the run uses: the stack's, with the API and signaling through the fault's proxies. */
  target: Target;
  /** Puts the fault in place (called at load start + atSec); resolves once it is in place. */
  inject(): Promise<void>;
  /** Undo: proxies stopped, toxics removed, stopped components started again. */
  restore(): Promise<void>;
  /** What the injector did, for the results (e.g. requests refused). */
  notes(): string[];
}

const portOf = (url: string): number => Number(new URL(url).port);
/** The same URL on another port (text kept as is otherwise: no trailing slash added). */
const withPort = (url: string, port: number): string => url.replace(`:${portOf(url)}`, `:${port}`);
const signalingList = (t: Target): string[] => (Array.isArray(t.signaling.url) ? t.signaling.url : [t.signaling.url]);

export async function prepareFault(fault: Fault, base: Target, toxi: Toxiproxy, ctx: StackContext): Promise<Prepared> {
  await toxi.reset();
  const apiUp = portOf(base.api.baseUrl);
  const sigUrls = signalingList(base);
  const apiToxiPort = await toxi.addProxy('api', apiUp);
  const sigToxiPorts: number[] = [];
  for (const [i, u] of sigUrls.entries()) sigToxiPorts.push(await toxi.addProxy(`signaling${i}`, portOf(u)));

  let http5xx: Http5xxProxy | undefined;
  let cap: ConnectionCapProxy | undefined;
  let apiPort = apiToxiPort;
  let sigPorts = sigToxiPorts;
  const inj = fault.injection;
  if (inj.kind === 'api-5xx-share' || inj.kind === 'api-5xx-burst') {
    http5xx = await startHttp5xxProxy(apiToxiPort);
    apiPort = http5xx.port;
  }
  if (inj.kind === 'signaling-cap') {
    // Limited from its start: the cap is a fact of the tier for the whole run (the table's atSec is 0).
    cap = await startConnectionCapProxy({ upstreamPorts: sigToxiPorts, limit: inj.limit });
    sigPorts = cap.ports;
  }
  const target: Target = {
    ...base,
    api: { ...base.api, baseUrl: withPort(base.api.baseUrl, apiPort) },
    signaling: { ...base.signaling, url: sigUrls.map((u, i) => withPort(u, sigPorts[i]!)) },
  };

  const down: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  const notes: string[] = [];
  const quiet = { ...ctx, onProgress: () => {} };

  return {
    target,
    async inject() {
      switch (inj.kind) {
        case 'none':
          return;
        case 'api-latency':
          await toxi.addToxic('api', { name: 'latency', type: 'latency', attributes: { latency: inj.latencyMs, jitter: inj.jitterMs ?? 0 } });
          return;
        case 'api-5xx-share':
          http5xx!.setRule({ kind: 'share', everyNth: inj.everyNth });
          return;
        case 'api-5xx-burst':
          http5xx!.setRule({ kind: 'burst', burstSec: inj.burstSec, periodSec: inj.periodSec, sinceMs: Date.now() });
          return;
        case 'signaling-cap':
          return; // limited from its start
        case 'signaling-reset': {
          await Promise.all(sigToxiPorts.map((_, i) => toxi.addToxic(`signaling${i}`, { name: 'reset', type: 'reset_peer', attributes: { timeout: 0 } })));
          timers.push(
            setTimeout(() => {
              void Promise.all(sigToxiPorts.map((_, i) => toxi.removeToxic(`signaling${i}`, 'reset').catch(() => undefined)));
            }, inj.durationSec * 1000),
          );
          return;
        }
        case 'component-down': {
          down.push(inj.component);
          await stackDown(quiet, [componentNamed(inj.component)]);
          return;
        }
        case 'component-restart': {
          const c = componentNamed(inj.component);
          const t0 = Date.now();
          await stackDown(quiet, [c]);
          await stackUp(quiet, { components: [c] });
          notes.push(`${inj.component} stopped and ready again in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          return;
        }
      }
    },
    async restore() {
      for (const t of timers) clearTimeout(t);
      if (http5xx) {
        const st = http5xx.stats();
        notes.push(`5xx proxy: ${st.refused} answered 503, ${st.forwarded} forwarded`);
        await http5xx.stop();
      }
      if (cap) {
        const st = cap.stats();
        notes.push(`cap proxy: ${st.accepted} accepted, ${st.refused} refused, peak ${st.peak} open`);
        await cap.stop();
      }
      await toxi.reset();
      if (down.length > 0 || inj.kind === 'component-restart') {
        const t0 = Date.now();
        // The services lost their connections to the stopped component: restart them too, rather than
        // waiting for them to heal (the api stayed unready for 120 s after PostgreSQL came back).
        const up = await stackUp(quiet, { restart: ['api', 'signaling', 'gateway'] });
        if (up.started.length) notes.push(`restored after the run: ${up.started.join(', ')} started again in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    },
    notes: () => [...notes],
  };
}
