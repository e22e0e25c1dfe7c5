import { type DocumentNode, type ExecutionResult, getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter, Histogram, type Registry } from 'prom-client';

/** When an operation's parse began, kept on its context: every phase of one operation sees that object. */
const STARTED = Symbol('metrics.started');
type Timed = { [STARTED]?: number };

type Labels = { operationType: string; operationName?: string };

/** One part of an incremental answer: the first as any result, the later ones with errors in each increment. */
type Part = ExecutionResult & { incremental?: readonly { errors?: readonly unknown[] }[] };
const partErrors = (part: Part): number =>
  (part.errors?.length ?? 0) + (part.incremental ?? []).reduce((sum, i) => sum + (i.errors?.length ?? 0), 0);

/**
 * Operation metrics and `/metrics` for every transport, under the names and labels of Envelop's Prometheus
 * plugin so that dashboards made for it read them (the series are listed in README.md). Labels hold only what the
 * schema or the trusted-documents manifest bounds, never the URL, a path or an untrusted operation name: any
 * caller could otherwise mint series without end.
 * Envelop's plugin built a label set per phase: 3.5 % of a flat query's CPU, these hooks 0.9 % (bench/RESULTS.md).
 */
export function useMetrics(registry: Registry, options: { trustedNames: boolean }): Plugin {
  const labelNames = options.trustedNames ? ['operationType', 'operationName'] : ['operationType'];
  const registers = [registry];
  const requests = new Counter({
    name: 'graphql_envelop_request',
    help: 'GraphQL operations executed or subscribed to',
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: 'graphql_envelop_request_duration',
    help: 'Seconds from the start of parsing a GraphQL operation to the end of its execution (its last part, when incremental)',
    labelNames,
    registers,
  });
  const errors = new Counter({
    name: 'graphql_envelop_error_result',
    help: 'Errors by the phase that reported them: one per failed parse or validation, one per error in a result',
    labelNames: [...labelNames, 'phase'],
    registers,
  });

  // Without operation names there are four label sets in all, made once.
  const byType = new Map<string, Labels>(
    ['query', 'mutation', 'subscription', 'unknown'].map((operationType) => [operationType, { operationType }]),
  );
  const labelsOf = (document: DocumentNode, operationName: string | null | undefined): Labels => {
    const operation = getOperationAST(document, operationName);
    const operationType = operation?.operation ?? 'unknown';
    if (options.trustedNames) return { operationType, operationName: operation?.name?.value ?? 'Anonymous' };
    return byType.get(operationType) ?? { operationType };
  };
  const countErrors = (labels: Partial<Labels>, phase: string, count: number) => {
    if (count > 0) errors.inc({ ...labels, phase }, count);
  };
  const afterParse = ({ result }: { result: unknown }) => {
    if (result instanceof Error) countErrors({}, 'parse', 1);
  };

  return {
    onRequest({ url, fetchAPI, endResponse }) {
      if (url.pathname !== '/metrics') return;
      return registry
        .metrics()
        .then((text) =>
          endResponse(new fetchAPI.Response(text, { headers: { 'content-type': registry.contentType } })),
        );
    },
    onParse({ context }) {
      (context as Timed)[STARTED] = performance.now();
      return afterParse;
    },
    onValidate({ params, context }) {
      return ({ valid }) => {
        if (valid) return;
        const name = (context as { params?: { operationName?: string | null } }).params?.operationName;
        countErrors(labelsOf(params.documentAST, name), 'validate', 1);
      };
    },
    onExecute({ args }) {
      const labels = labelsOf(args.document, args.operationName);
      const started = (args.contextValue as Timed)[STARTED] ?? performance.now();
      const done = () => {
        requests.inc(labels);
        duration.observe(labels, (performance.now() - started) / 1000);
      };
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) {
            done();
            return countErrors(labels, 'execute', result.errors?.length ?? 0);
          }
          // An incremental answer (@defer, @stream) is timed to its last part (or its client going away), and
          // the errors of every part count, those of each increment included.
          return {
            onNext: ({ result: part }) => countErrors(labels, 'execute', partErrors(part as Part)),
            onEnd: done,
          };
        },
      };
    },
    onSubscribe({ args }) {
      const labels = labelsOf(args.document, args.operationName);
      requests.inc(labels);
      return {
        onSubscribeError() {
          countErrors(labels, 'subscribe', 1);
        },
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return void countErrors(labels, 'subscribe', result.errors?.length ?? 0);
          return {
            onNext({ result: event }) {
              countErrors(labels, 'execute', (event as ExecutionResult).errors?.length ?? 0);
            },
          };
        },
      };
    },
  };
}
