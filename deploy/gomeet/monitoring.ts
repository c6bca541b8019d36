/**
 * Monitoring, minimal (the seed's section 5): Prometheus (2 replicas, 8 vCPU / 16 GB, 500 GB) that
 * discovers the namespace's pods by a Role (namespaced, so `cluster down` removes it with the
 * namespace), Grafana (3 replicas, 2 vCPU / 4 GB) with Prometheus as its data source, Alertmanager
 * (2 replicas, 1 vCPU / 2 GB, 20 GB). Dashboards and alert routes are not the suite's business.
 * Grafana keeps no volume: three replicas cannot share a ReadWriteOnce disk, and provisioning makes
 * every pod the same.
 */
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { stringify } from 'yaml';
import type { WorkloadSizing } from '../../thresholds/sizing.ts';
import { deploymentOf } from './deployment.ts';
import { meta, selectorOf } from './labels.ts';
import { fromSecret, SECRET_KEYS } from './namespace.ts';
import type { ResolvedOptions } from './options.ts';
import { dataVolume, resourcesOf, workloadSizing } from './sizing.ts';

export const PROMETHEUS_PORT = 9090;
export const GRAFANA_PORT = 3000;
export const ALERTMANAGER_PORT = 9093;

const volumeClaim = (w: WorkloadSizing) => dataVolume(`${w.storageGB}Gi`);

function prometheusConfig(o: ResolvedOptions): string {
  return stringify({
    global: { scrape_interval: '15s' },
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`alertmanager.${o.namespace}.svc.cluster.local:${ALERTMANAGER_PORT}`] }] }] },
    scrape_configs: [
      {
        // Pods that name their metrics port prometheus.io/port are scraped; the namespace only.
        job_name: 'gomeet-pods',
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [o.namespace] } }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'metrics|http|web', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_label_app'], target_label: 'app' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
        ],
      },
    ],
  });
}

function prometheus(o: ResolvedOptions) {
  const w = workloadSizing('prometheus');
  const sa = new ServiceAccount({ metadata: meta('prometheus', o.namespace, w.name) });
  const role = new Role({ metadata: meta('prometheus', o.namespace, w.name), rules: [{ apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] }] });
  const binding = new RoleBinding({
    metadata: meta('prometheus', o.namespace, w.name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'prometheus' },
    subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: o.namespace }],
  });
  const config = new ConfigMap({ metadata: meta('prometheus-config', o.namespace, w.name), data: { 'prometheus.yml': prometheusConfig(o) } });
  const set = new StatefulSet({
    metadata: meta(w.name, o.namespace, w.name),
    spec: {
      serviceName: w.name,
      replicas: w.replicas,
      selector: { matchLabels: selectorOf(w.name) },
      template: {
        metadata: { labels: selectorOf(w.name) },
        spec: {
          serviceAccountName: 'prometheus',
          securityContext: { fsGroup: 65534 },
          volumes: [{ name: 'config', configMap: { name: 'prometheus-config' } }],
          containers: [
            {
              name: w.container,
              image: o.images.prometheus,
              args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=30d'],
              ports: [{ name: 'web', containerPort: PROMETHEUS_PORT }],
              resources: resourcesOf(w),
              readinessProbe: { httpGet: { path: '/-/ready', port: PROMETHEUS_PORT }, periodSeconds: 5 },
              volumeMounts: [
                { name: 'config', mountPath: '/etc/prometheus' },
                { name: 'data', mountPath: '/prometheus' },
              ],
            },
          ],
        },
      },
      volumeClaimTemplates: volumeClaim(w),
    },
  });
  const service = new Service({ metadata: meta(w.name, o.namespace, w.name), spec: { selector: selectorOf(w.name), ports: [{ name: 'web', port: PROMETHEUS_PORT }] } });
  return [sa, role, binding, config, set, service];
}

function grafana(o: ResolvedOptions) {
  const w = workloadSizing('grafana');
  const datasources = stringify({ apiVersion: 1, datasources: [{ name: 'Prometheus', type: 'prometheus', access: 'proxy', url: `http://prometheus.${o.namespace}.svc.cluster.local:${PROMETHEUS_PORT}`, isDefault: true }] });
  const config = new ConfigMap({ metadata: meta('grafana-datasources', o.namespace, w.name), data: { 'datasources.yaml': datasources } });
  const deployment = deploymentOf(w.name, o.namespace, w.replicas, {
    volumes: [{ name: 'datasources', configMap: { name: 'grafana-datasources' } }],
    containers: [
      {
        name: w.container,
        image: o.images.grafana,
        env: [fromSecret('GF_SECURITY_ADMIN_PASSWORD', SECRET_KEYS.grafanaAdminPassword)],
        ports: [{ name: 'http', containerPort: GRAFANA_PORT }],
        resources: resourcesOf(w),
        readinessProbe: { httpGet: { path: '/api/health', port: GRAFANA_PORT }, periodSeconds: 5 },
        volumeMounts: [{ name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources' }],
      },
    ],
  });
  const service = new Service({ metadata: meta(w.name, o.namespace, w.name), spec: { selector: selectorOf(w.name), ports: [{ name: 'http', port: GRAFANA_PORT }] } });
  return [config, deployment, service];
}

function alertmanager(o: ResolvedOptions) {
  const w = workloadSizing('alertmanager');
  const config = new ConfigMap({ metadata: meta('alertmanager-config', o.namespace, w.name), data: { 'alertmanager.yml': stringify({ route: { receiver: 'null' }, receivers: [{ name: 'null' }] }) } });
  const set = new StatefulSet({
    metadata: meta(w.name, o.namespace, w.name),
    spec: {
      serviceName: w.name,
      replicas: w.replicas,
      selector: { matchLabels: selectorOf(w.name) },
      template: {
        metadata: { labels: selectorOf(w.name) },
        spec: {
          volumes: [{ name: 'config', configMap: { name: 'alertmanager-config' } }],
          containers: [
            {
              name: w.container,
              image: o.images.alertmanager,
              args: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
              ports: [{ name: 'web', containerPort: ALERTMANAGER_PORT }],
              resources: resourcesOf(w),
              volumeMounts: [
                { name: 'config', mountPath: '/etc/alertmanager' },
                { name: 'data', mountPath: '/alertmanager' },
              ],
            },
          ],
        },
      },
      volumeClaimTemplates: volumeClaim(w),
    },
  });
  const service = new Service({ metadata: meta(w.name, o.namespace, w.name), spec: { selector: selectorOf(w.name), ports: [{ name: 'web', port: ALERTMANAGER_PORT }] } });
  return [config, set, service];
}

export function monitoring(o: ResolvedOptions) {
  return [...prometheus(o), ...grafana(o), ...alertmanager(o)];
}
