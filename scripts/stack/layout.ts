/**
 * Where one local stack keeps its state: data dirs, logs, pidfiles, generated configs, the target
 * file and the secrets file — all under one directory (default `.local/stack`, or
 * GOMEET_STACK_DIR), never a system location, so `rm -rf` of it resets the stack.
 */
import { join, resolve } from 'node:path';
import { LOCAL_DIR } from '../tools/paths.ts';

export interface StackLayout {
  /** Root of this stack's state. */
  root: string;
  /** Generated config files (redis.conf, prometheus.yml, ...). */
  configDir: string;
  /** Pidfiles and unix sockets. */
  runDir: string;
  /** One log per component, appended across starts. */
  logDir: string;
  /** Persistent data (PostgreSQL cluster, InfluxDB, Prometheus TSDB). */
  dataDir: string;
  /** What `stack up` writes for `run --target`. */
  targetFile: string;
  /** Generated once, mode 0600: KEY=value lines (see secrets.ts). */
  secretsFile: string;
}

/** The layout rooted at `root`, default GOMEET_STACK_DIR or `.local/stack`. */
export function stackLayout(root = process.env.GOMEET_STACK_DIR || join(LOCAL_DIR, 'stack')): StackLayout {
  const abs = resolve(root);
  return {
    root: abs,
    configDir: join(abs, 'config'),
    runDir: join(abs, 'run'),
    logDir: join(abs, 'logs'),
    dataDir: join(abs, 'data'),
    targetFile: join(abs, 'target.yaml'),
    secretsFile: join(abs, 'secrets.env'),
  };
}

export const logFileOf = (layout: StackLayout, component: string): string => join(layout.logDir, `${component}.log`);
export const pidFileOf = (layout: StackLayout, component: string): string => join(layout.runDir, `${component}.pid`);
export const dataDirOf = (layout: StackLayout, component: string): string => join(layout.dataDir, component);
export const configFileOf = (layout: StackLayout, file: string): string => join(layout.configDir, file);
