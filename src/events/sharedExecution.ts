import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  getOperationAST,
  getVariableValues,
} from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { Delivery, deliveryContext } from './delivery.ts';

/**
 * One execution per event for every subscriber who asked the same thing: graphql-js executes a subscription's
 * selection once per event per subscriber, so a thousand subscribers to one event cost a thousand executions.
 * Subscribers with the same document, operation, variables (as the operation coerces them: a variable it does
 * not declare changes nothing) and nCore key get the same answer, so the first of them executes it and the rest
 * share the result. The key is part of what must match: what a field reads of nCore depends on whose key reads
 * it. Results are held by the event itself, and go with it.
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
        let key: string;
        try {
          key = [documentId(args.document), args.operationName ?? '', variablesKey(args), apiKey].join('\u0000');
        } catch (error) {
          // The subscription holds a slot from its first step: whatever fails after it gives the slot back.
          await (source as AsyncIterableIterator<unknown>).return?.();
          throw error;
        }
        return mapAsyncIterator(source as AsyncIterableIterator<unknown>, (payload) => {
          if (!(payload instanceof Delivery)) return execute({ ...args, rootValue: payload });
          let shared = executions.get(payload.event);
          if (!shared) {
            shared = new Map();
            executions.set(payload.event, shared);
          }
          let result = shared.get(key);
          if (!result) {
            const contextValue = deliveryContext(args.contextValue as object, payload);
            result = Promise.resolve(execute({ ...args, rootValue: payload.event, contextValue }));
            shared.set(key, result);
          }
          return result;
        });
      });
    },
  };
}

/** The operation's variables as it coerces them; the source stream has already refused any it cannot. */
function variablesKey({ schema, document, operationName, variableValues }: ExecutionArgs): string {
  const operation = getOperationAST(document, operationName);
  const definitions = operation?.variableDefinitions ?? [];
  if (definitions.length === 0) return '';
  const values = getVariableValues(schema, definitions, variableValues ?? {}, { maxErrors: 1 });
  return 'coerced' in values ? JSON.stringify(values.coerced) : '';
}
