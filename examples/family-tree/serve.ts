import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/** The page's files, and nothing else, by path. */
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/familyTree.js': { file: 'familyTree.js', type: 'text/javascript; charset=utf-8' },
};

/** The page on its own origin, which the gateway must list in `CORS_ORIGINS`. */
export interface PageServer {
  /** e.g. `http://127.0.0.1:8080`, no trailing slash: what `CORS_ORIGINS` names. */
  origin: string;
  close(): Promise<void>;
}

/** Serves the family-tree page on `host:port` (a free port by default). */
export async function servePage(port = 0, host = '127.0.0.1'): Promise<PageServer> {
  const server = createServer(async (request, response) => {
    const found = FILES[new URL(request.url ?? '/', 'http://page').pathname];
    if (!found || (request.method !== 'GET' && request.method !== 'HEAD')) return void response.writeHead(404).end();
    const body = await readFile(new URL(found.file, import.meta.url));
    response.writeHead(200, { 'content-type': found.type, 'cache-control': 'no-cache' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    origin: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// `node --import tsx examples/family-tree/serve.ts [port]`: the page on http://127.0.0.1:8080/ by default.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { origin } = await servePage(Number(process.argv[2] ?? 8080));
  console.log(`the family tree page: ${origin}/?gateway=http://127.0.0.1:4000/graphql`);
  console.log(`start the gateway with CORS_ORIGINS=${origin} so that the page may read its answers`);
}
