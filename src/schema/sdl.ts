import { subgraphSdl } from './federation.ts';
import { typeDefs } from './index.ts';

/**
 * `npm run -s subgraph:sdl`: the subgraph's SDL, exactly as `_service { sdl }` answers it, on stdout, for
 * composing from a file (rover, Hive, wgc) where production turns `_service` off with introspection.
 */
process.stdout.write(`${subgraphSdl(typeDefs)}\n`);
