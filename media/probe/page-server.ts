/**
 * The tiny static server of the probe page: GET of a file in one directory, nothing else. It binds
 * 127.0.0.1 — inside the media namespace, where the browsers are — and serves no directory listing
 * and no path outside its directory.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

export interface PageServer {
  server: Server;
  /** http://127.0.0.1:<port>/ */
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1:`port` (0 = any free port). */
export async function servePageDir(dir: string, port: number): Promise<PageServer> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
    const type = TYPES[extname(file)];
    if (req.method !== 'GET' || !type || file.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(dir, file)).then(
      (body) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://127.0.0.1:${actualPort}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
