/**
 * Kubernetes resource quantities (`4`, `4000m`, `8Gi`, `8G`, `65856244Ki`, `500e6`) as numbers:
 * CPU in cores, memory and storage in bytes. Throws on anything else.
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = QUANTITY.exec(q.trim());
  if (!m) throw new Error(`not a Kubernetes quantity: ${q}`);
  const [, num, exp, suffix] = m;
  return exp ? Number(`${num}${exp}`) : Number(num) * SUFFIX[suffix ?? '']!;
}

const GB = 1e9;
const GIB = 2 ** 30;

/**
 * Whether `bytes` is the seed's `gb` GB, read either way a manifest writer would: decimal (8G) or
 * binary (8Gi). The seed writes "8GB" and means a machine size, not a unit convention.
 */
export function isSeedGigabytes(bytes: number, gb: number): boolean {
  const close = (a: number, b: number) => Math.abs(a - b) <= b * 1e-6;
  return close(bytes, gb * GB) || close(bytes, gb * GIB);
}

/** At least `gb` GB of a machine whose reported capacity is a little under the nominal size
 *  (firmware, kernel and hypervisor keep some): allowance `slack` (default 10 %) under gb × 10^9. */
export function atLeastSeedGigabytes(bytes: number, gb: number, slack = 0.1): boolean {
  return bytes >= gb * GB * (1 - slack);
}

export function formatBytes(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}
