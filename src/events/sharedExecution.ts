import { createSourceEventStream, type DocumentNode, type ExecutionArgs, type ExecutionResult, execute } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { Delivery } from './delivery.ts';

/**
 * One execution per event for every subscriber who asked the same thing: graphql-js executes a subscription's
 * selection once per event per subscriber, so a thousand subscribers to one event cost a thousand executions.
 * Subscribers with the same document, operation, variables and nCore key get the same answer, so the first of
 * them executes it and the rest share the result. The key is part of what must match: what a field reads of
 * nCore depends on whose key reads it. Results are held by the event itself, and go with it.
 */
export function useSharedDeliveries(): Plugin {
  const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  const documents = new WeakMap<DocumentNode, number>();
  let nextDocument = 0;
  const documentId = (document: DocumentNode): number => {
    let id = documents.get(document);
    if (id === undefined) {
      id = nextDocument++;
      documents.set(document, id);
    }
    return id;
  };

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source;
        const apiKey = (args.contextValue as { caller?: { apiKey?: string } }).caller?.apiKey ?? '';
        const key = [
          documentId(args.document),
          args.operationName ?? '',
          JSON.stringify(args.variableValues ?? {}),
          apiKey,
        ].join('\u0000');
        return mapAsyncIterator(source as AsyncIterableIterator<unknown>, (payload) => {
          if (!(payload instanceof Delivery)) return execute({ ...args, rootValue: payload });
          let shared = executions.get(payload.event);
          if (!shared) {
            shared = new Map();
            executions.set(payload.event, shared);
          }
          let result = shared.get(key);
          if (!result) {
            result = Promise.resolve(execute({ ...args, rootValue: payload }));
            shared.set(key, result);
          }
          return result;
        });
      });
    },
  };
}
