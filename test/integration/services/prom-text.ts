/** Reads one sample from Prometheus text exposition: the value of `name` whose labels include
 *  every pair of `labels` (other labels may be present), or undefined if there is none. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const open = line.indexOf('{');
    const close = line.lastIndexOf('}');
    const labelText = open >= 0 && open < close ? line.slice(open + 1, close) : '';
    const found: Record<string, string> = {};
    for (const m of labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[m[1]!] = m[2]!;
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) {
      return Number(line.slice((close >= 0 ? close + 1 : name.length)).trim().split(' ')[0]);
    }
  }
  return undefined;
}
