/**
 * One-line logs for both service processes: `<iso time> <level> <process> <message> [k=v ...]`.
 *
 * Hand-written rather than pino because pino is only a transitive dependency here (fastify's) and
 * these processes log a handful of lines — start, stop, failures. Request logging is off on purpose:
 * at load-test rates it would cost more CPU than the requests. Never pass secrets as fields.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  isEnabled(level: LogLevel): boolean;
}

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([k, v]) => ` ${k}=${v instanceof Error ? JSON.stringify(v.message) : JSON.stringify(v)}`)
    .join('');
}

export function createLogger(processName: string, level: LogLevel): Logger {
  const min = RANK[level];
  const write = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < min) return;
    const line = `${new Date().toISOString()} ${lvl} ${processName} ${msg}${formatFields(fields)}\n`;
    (RANK[lvl] >= RANK.warn ? process.stderr : process.stdout).write(line);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    isEnabled: (lvl) => RANK[lvl] >= min,
  };
}
