/**
 * The load-test side, in its own namespace so `cluster down` of GoMeet leaves the results store
 * intact until it is removed too: InfluxDB 1.x (every k6 runner writes there, `--out influxdb`;
 * the verdict reads it back) and the k6-operator, installed from its upstream bundle by reference
 * (`kubectl apply --server-side -f URL`: nothing of it is copied into this repo).
 */
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Service } from 'kubernetes-models/v1';
import { meta, selectorOf } from './labels.ts';
import type { ResolvedOptions } from './options.ts';
import { dataVolume } from './sizing.ts';

export const INFLUXDB_PORT = 8086;
/** The database the runners write (lib/config/target.ts's default). */
export const INFLUXDB_DATABASE = 'k6';
/** The k6-operator release bundle at the commit deploy/k6-operator/testrun.schema.json was derived from. */
export const K6_OPERATOR_BUNDLE_URL = 'https://raw.githubusercontent.com/grafana/k6-operator/e2c9571ac480ad7ca8ed019062ff67847d76724e/bundle.yaml';

/** A single store: the runners' samples of one run (50,000 sessions' worth), not long-term data. */
const INFLUX_RESOURCES = { requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } };

export function influxdb(o: ResolvedOptions) {
  const set = new StatefulSet({
    metadata: meta('influxdb', o.loadTestNamespace, 'influxdb'),
    spec: {
      serviceName: 'influxdb',
      replicas: 1,
      selector: { matchLabels: selectorOf('influxdb') },
      template: {
        metadata: { labels: selectorOf('influxdb') },
        spec: {
          containers: [
            {
              name: 'influxdb',
              image: o.images.influxdb,
              env: [
                { name: 'INFLUXDB_DB', value: INFLUXDB_DATABASE },
                { name: 'INFLUXDB_HTTP_MAX_BODY_SIZE', value: '0' },
              ],
              ports: [{ name: 'http', containerPort: INFLUXDB_PORT }],
              resources: INFLUX_RESOURCES,
              readinessProbe: { httpGet: { path: '/ping', port: INFLUXDB_PORT }, periodSeconds: 5 },
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/influxdb' }],
            },
          ],
        },
      },
      volumeClaimTemplates: dataVolume('50Gi'),
    },
  });
  const service = new Service({ metadata: meta('influxdb', o.loadTestNamespace, 'influxdb'), spec: { selector: selectorOf('influxdb'), ports: [{ name: 'http', port: INFLUXDB_PORT }] } });
  return [set, service];
}
