import { createUrqlClient } from './client.ts';
import { fetchFamilyTree, formatFamilyTree } from './familyTree.ts';

/**
 * `node --import tsx examples/urql/src/main.ts <graphql-url> <user-id>`: prints the user's family tree, one
 * person a line. Exit code 1 when the user does not exist, 2 on a usage or gateway error.
 */
const [url, id] = process.argv.slice(2);
if (!url || !id) {
  console.error('usage: main.ts <graphql-url> <user-id>');
  process.exit(2);
}
try {
  const tree = await fetchFamilyTree(createUrqlClient({ url }), id);
  if (!tree) {
    console.error(`no user ${id}`);
    process.exit(1);
  }
  for (const line of formatFamilyTree(tree)) console.log(line);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
