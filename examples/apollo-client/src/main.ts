import { WebSocket } from 'ws';
import { createApolloClient } from './client.ts';
import { fetchFamilyTree, formatFamilyTree } from './familyTree.ts';

/**
 * `node --import tsx examples/apollo-client/src/main.ts <graphql-url> <user-id>`: prints the user's family
 * tree, one person a line. Exit code 1 when the user does not exist, 2 on a usage or gateway error.
 */
const [url, id] = process.argv.slice(2);
if (!url || !id) {
  console.error('usage: main.ts <graphql-url> <user-id>');
  process.exit(2);
}
// Node 20 has no global WebSocket; browsers and Node 22+ need no `webSocketImpl`.
const client = createApolloClient({ url, webSocketImpl: WebSocket });
try {
  const tree = await fetchFamilyTree(client, id);
  if (!tree) {
    console.error(`no user ${id}`);
    process.exit(1);
  }
  for (const line of formatFamilyTree(tree)) console.log(line);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
} finally {
  client.stop();
}
