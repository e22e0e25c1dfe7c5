/**
 * A request's whole body as text ('' when there is none), or undefined as soon as it passes `maxBytes`, declared
 * or streamed (the rest is then never read). For GraphQL requests sent without a length (plugins/requestGuard.ts)
 * and nCore's webhooks (events/receiver.ts).
 */
export async function readCapped(request: Request, maxBytes: number): Promise<string | undefined> {
  if (Number(request.headers.get('content-length') ?? 0) > maxBytes) return undefined;
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size).toString('utf8');
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
}
