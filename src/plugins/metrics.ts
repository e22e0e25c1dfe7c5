import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

/**
 * Operation metrics and `/metrics`: operations, their duration, errors and HTTP timings, on `registry`
 * (which also holds nCore's own, see ncore/metrics.ts). Labels hold only what the schema or the
 * trusted-documents manifest bounds. Not the URL (a GET operation's URL holds its variables), nor a path
 * (aliases are free text), nor, unless documents are trusted, the operation name: any caller could otherwise
 * mint new series without end.
 */
export function useMetrics(registry: Registry, options: { trustedNames: boolean }): Plugin {
  return usePrometheus({
    registry,
    endpoint: '/metrics',
    labels: { url: false, path: false, operationName: options.trustedNames },
    // One duration per operation (graphql_envelop_request_duration): the per-phase histograms, the HTTP
    // duration that repeats it, and the deprecated-field counter (which walks every document) cost more
    // than they tell here.
    metrics: {
      graphql_envelop_phase_execute: false,
      graphql_yoga_http_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_schema_change: false,
    },
  });
}
