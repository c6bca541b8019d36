/**
 * A setting read back from a ConfigMap's file: redis.conf (`maxclients 50000`), pgbouncer.ini
 * (`max_client_conn = 5000`), Traefik's dynamic YAML (a dotted path), or a key that is the value.
 */
import { parse as parseYaml } from 'yaml';

/** The value of `setting` in the text of ConfigMap key `key`; undefined when absent. */
export function readSetting(key: string, text: string, setting: string): string | undefined {
  if (key === setting) return text.trim();
  if (/\.ya?ml$/.test(key)) {
    let node: unknown = parseYaml(text);
    for (const part of setting.split('.')) {
      if (!node || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    return node === undefined || node === null || typeof node === 'object' ? undefined : String(node);
  }
  let found: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue;
    const m = /^([A-Za-z0-9_.-]+)\s*(?:=\s*|\s+)(.*)$/.exec(line);
    // Redis and PgBouncer both let a later line override an earlier one.
    if (m && m[1] === setting) found = m[2]!.trim().replace(/^"(.*)"$/, '$1');
  }
  return found;
}
