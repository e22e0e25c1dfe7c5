import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createYoga } from 'graphql-yoga';

/** One card of the test's cards service: its holder is an nCore user, known only by id. */
export interface Card {
  last4: string;
  holderId: string;
}

/**
 * The second subgraph of the supergraph tests, written the way another team would write theirs: its own SDL
 * and hand-written `_entities`/`_service`, nothing shared with the gateway's federation code. `Card.holder`
 * is a `User` reference; `User.cards` extends the gateway's `User`.
 */
export const CARDS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

type Card {
  last4: String!
  holder: User
}

type User @key(fields: "id") {
  id: ID!
  cards: [Card!]!
}

"The same Relay type as the gateway's, which both subgraphs share."
type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

type Query {
  cards: [Card!]!
  cardsPage: PageInfo!
}
`;

/** The same SDL as the executable schema runs it: no federation directives, plus what a router calls. */
const RUNNABLE = `
type Card { last4: String! holder: User }
type User { id: ID! cards: [Card!]! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
scalar _Any
union _Entity = User
type _Service { sdl: String! }
type Query {
  cards: [Card!]!
  cardsPage: PageInfo!
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
}
`;

/** A running cards subgraph on 127.0.0.1 and a free port, and every `_entities` batch it was asked. */
export interface CardsService {
  url: string;
  entityBatches: string[][];
  close(): Promise<void>;
}

export async function startCards(cards: readonly Card[]): Promise<CardsService> {
  const entityBatches: string[][] = [];
  const user = (id: string) => ({ __typename: 'User', id });
  const schema = makeExecutableSchema({
    typeDefs: RUNNABLE,
    resolvers: {
      Query: {
        cards: () => cards,
        cardsPage: () => ({ hasNextPage: false, endCursor: null }),
        _service: () => ({ sdl: CARDS_SDL }),
        _entities: (_: unknown, { representations }: { representations: { __typename: string; id: string }[] }) => {
          entityBatches.push(representations.map((r) => r.id));
          return representations.map((r) => (r.__typename === 'User' ? user(r.id) : null));
        },
      },
      Card: { holder: (card: Card) => user(card.holderId) },
      User: { cards: (u: { id: string }) => cards.filter((c) => c.holderId === u.id) },
      _Entity: { __resolveType: () => 'User' },
    },
  });
  const server: Server = createServer(createYoga({ schema, logging: false, landingPage: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    entityBatches,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
