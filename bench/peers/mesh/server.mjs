// @ts-check
/**
 * The benchmark's peer: GraphQL Mesh as its users would deploy it. Mesh Compose turns the simulator's own
 * OpenAPI document (`GET /v1/openapi.json`) into a supergraph, with `User.parent` and `User.children` added
 * declaratively (`@resolveTo`, Mesh's documented way to link operations); Hive Gateway's runtime serves it
 * on 127.0.0.1, on a free port, in one process like the gateway under test.
 *
 * Started by bench/run.ts as a child process with `SIM_URL` and `SIM_KEY`; reports `{ port }` over IPC,
 * stops when its parent disconnects and, whatever happens, after `MAX_LIFETIME_MS`.
 *
 * Plain JavaScript on purpose: its packages live in this folder's own node_modules, which the root
 * typecheck must not depend on.
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { getComposedSchemaFromConfig } from '@graphql-mesh/compose-cli';
import { DefaultLogger, LogLevel } from '@graphql-mesh/utils';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const simUrl = required('SIM_URL');
const simKey = required('SIM_KEY');
const maxLifetimeMs = Number(process.env.MAX_LIFETIME_MS ?? 15 * 60_000);
setTimeout(() => process.exit(0), maxLifetimeMs).unref();

// Links between operations, as Mesh's docs show them: each resolves through the subgraph's own operation,
// one upstream call per parent or children page asked for.
const links = /* GraphQL */ `
  extend type User {
    parent: getUser_response
      @resolveTo(sourceName: "Ncore", sourceTypeName: "Query", sourceFieldName: "getUser",
                 requiredSelectionSet: "{ parent_user_id }", sourceArgs: { id: "{root.parent_user_id}" })
    children(limit: Int, after: String): listChildren_response
      @resolveTo(sourceName: "Ncore", sourceTypeName: "Query", sourceFieldName: "listChildren",
                 requiredSelectionSet: "{ id }", sourceArgs: { id: "{root.id}", limit: "{args.limit}", after: "{args.after}" })
  }
`;

const supergraph = await getComposedSchemaFromConfig(
  {
    subgraphs: [
      {
        sourceHandler: loadOpenAPISubgraph('Ncore', {
          source: `${simUrl}/openapi.json`,
          endpoint: simUrl,
          operationHeaders: { apikey: simKey },
        }),
      },
    ],
    additionalTypeDefs: links,
  },
  new DefaultLogger('mesh-compose', LogLevel.warn),
);

const gateway = createGatewayRuntime({ supergraph, logging: false });
const server = createServer(gateway);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (process.send) process.send({ port });
  else console.log(`Mesh (Hive Gateway) at http://127.0.0.1:${port}/graphql`);
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

/** @param {string} name */
function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(2);
  }
  return value;
}
