/** Object metadata every manifest shares: the labels `cluster status` selects by. */
import type { IConfigMap } from 'kubernetes-models/v1';

export type ObjectMeta = NonNullable<IConfigMap['metadata']>;

export const PART_OF = { 'app.kubernetes.io/part-of': 'gomeet' } as const;
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'gomeet-capacity' } as const;

/** Pod selector of one component (`app=<name>`, what the seed's `kubectl … -l app=postgres` uses). */
export const selectorOf = (app: string): Record<string, string> => ({ app });

export function meta(name: string, namespace: string, app: string, extra: ObjectMeta = {}): ObjectMeta {
  return { name, namespace, ...extra, labels: { ...selectorOf(app), ...PART_OF, ...MANAGED_BY, ...(extra.labels ?? {}) } };
}
