/**
 * The floor of any Node server between a client and nCore: node:http in, one undici call out, nCore's user passed
 * on as `{"data":{"user":...}}`. No GraphQL, no checks, no logs. What it adds to a direct call at concurrency 1,
 * and its CPU per request, are what the extra process and hop cost on this machine before any server's own work.
 * It reads the `id` variable of the `user(id)` operation posted to it. Reports `{ port }` over IPC; exits when
 * its parent disconnects, and after `BENCH_MAX_LIFETIME_MS` whatever happens.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = new URL(process.env['BENCH_UPSTREAM_URL'] ?? '');
const apiKey = process.env['BENCH_UPSTREAM_KEY'] ?? '';
const pool = new Pool(upstream.origin, { connections: 128 });
setTimeout(() => process.exit(0), Number(process.env['BENCH_MAX_LIFETIME_MS'] ?? 15 * 60_000)).unref();

const server = createServer(async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { id: string } };
    const answer = await pool.request({
      method: 'GET',
      path: `${upstream.pathname}/users/${encodeURIComponent(variables.id)}`,
      headers: { apikey: apiKey, accept: 'application/json' },
    });
    const user = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`nCore answered ${answer.statusCode}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(`{"data":{"user":${user}}}`);
  } catch (error) {
    res
      .writeHead(502, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ message: String(error) }] }));
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => {
  server.close();
  void pool.close().then(() => process.exit(0));
});
