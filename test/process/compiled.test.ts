import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** `npm start` as an operator runs it: it builds first (prestart), then runs the compiled JavaScript. */
describe('npm start', () => {
  it('builds and runs compiled JavaScript, with no TypeScript loader, over the embedded simulator', async () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(scripts['start']).toBe('node dist/src/main.js');
    expect(scripts['prestart']).toBe('npm run build');

    const child = spawn('npm', ['start', '--silent'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '/tmp',
        HOST: '127.0.0.1',
        PORT: '0',
        SHUTDOWN_DELAY_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line in 120 s:\n${output}`)), 120_000);
        child.stdout.on('data', () => {
          const match = /ready at (http:\/\/[^\s]+\/graphql)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        void exited.then(() => reject(new Error(`exited before ready:\n${output}`)));
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ users(first: 1) { nodes { id } } }' }),
      });
      expect(((await response.json()) as { data: { users: { nodes: unknown[] } } }).data.users.nodes).toHaveLength(1);
      // The serving process is node on the compiled entry point, without tsx.
      const ps = await new Promise<string>((resolve) => {
        const p = spawn('ps', ['-o', 'args=', '-g', String(child.pid)]);
        let text = '';
        p.stdout.on('data', (chunk) => (text += chunk));
        p.once('exit', () => resolve(text));
      });
      expect(ps).toMatch(/node dist\/src\/main\.js/);
      expect(ps).not.toMatch(/tsx/);
    } finally {
      // The whole group: npm and the node it started.
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 180_000);
});
