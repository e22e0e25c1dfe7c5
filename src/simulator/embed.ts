import { randomBytes } from 'node:crypto';
import { USER_EVENT_TYPES } from '../contract/types.ts';
import { DEMO_ROOT_ID } from './seed.ts';
import { createSimulator } from './server.ts';

/** The embedded simulator as the gateway calls it (config/demo.ts takes it as its nCore). */
export interface EmbeddedNcore {
  readonly url: string;
  readonly apiKey: string;
  readonly webhook: { readonly username: string; readonly password: string };
  readonly exampleUserId: string;
}

/** `npm start`'s demo: a simulator with the demo family, delivering its webhooks to the gateway. */
export interface Demo {
  readonly ncore: EmbeddedNcore;
  /**
   * Registers the gateway's webhook receiver, as a tenant would with nCore; resolves with whether it took.
   * Uses the operator's webhook credentials when they set a pair, else the demo's.
   */
  register(receiverUrl: string, webhook: { username: string; password: string }): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Starts the demo's simulator, or adopts one a cluster primary started (`handedOver`), so that every worker
 * serves one set of demo data. Only the process that started it closes it.
 */
export async function startDemo(options: { latencyMs: number; handedOver?: EmbeddedNcore }): Promise<Demo> {
  if (options.handedOver) return { ncore: options.handedOver, register: async () => true, close: async () => {} };
  const simulator = await createSimulator({ seed: 'demo', requestLogLimit: 1000, latencyMs: options.latencyMs });
  const ncore: EmbeddedNcore = {
    url: simulator.url,
    apiKey: simulator.apiKey,
    webhook: { username: 'demo', password: randomBytes(24).toString('base64url') },
    exampleUserId: DEMO_ROOT_ID,
  };
  return {
    ncore,
    async register(receiverUrl, webhook) {
      const response = await fetch(`${simulator.url}/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: simulator.apiKey },
        body: JSON.stringify({
          endpoint: receiverUrl,
          events: USER_EVENT_TYPES,
          config: { basic_auth_username: webhook.username, basic_auth_password: webhook.password },
        }),
      });
      return response.status === 201;
    },
    close: () => simulator.close(),
  };
}
