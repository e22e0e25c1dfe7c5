import type { WireUser, WireUserInput } from '../../src/contract/types.ts';
import type { Simulator } from '../../src/simulator/index.ts';

/** Creates a user through the simulator's own REST API, as any nCore client would. */
export async function restCreate(sim: Simulator, body: WireUserInput): Promise<WireUser> {
  const response = await fetch(`${sim.url}/users`, {
    method: 'POST',
    headers: { apikey: sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as WireUser;
}

/** A tree `depth` levels below `root` (root is level 0), `fanOut` children per user, created level by level. */
export async function restTree(sim: Simulator, depth: number, fanOut: number): Promise<WireUser[][]> {
  const levels: WireUser[][] = [[await restCreate(sim, { first_name: 'Root' })]];
  for (let level = 1; level <= depth; level++) {
    const next: WireUser[] = [];
    for (const parent of levels[level - 1]!) {
      for (let i = 0; i < fanOut; i++) {
        next.push(
          await restCreate(sim, {
            first_name: `L${level}N${next.length}`,
            parent_user_id: parent.id,
            relationship_with_parent: 'SON',
          }),
        );
      }
    }
    levels.push(next);
  }
  return levels;
}
