import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.ts';
import { restCreate } from '../support/data.ts';
import { type Stack, startStack } from '../support/stack.ts';

const Create = graphql(`
  mutation RedactionCreate($input: CreateUserInput!) {
    createUser(input: $input) { id firstName email }
  }
`);

const Lookup = graphql(`
  query RedactionLookup($id: ID!) {
    user(id: $id) { id firstName lastName email mobile dateOfBirth parent { firstName } }
  }
`);

/** Distinctive personal data: if any of it shows up in a log line or an error, the test sees it. */
const PERSONAL = {
  firstName: 'Zephyrine',
  lastName: 'Quillfeather',
  email: 'zephyrine.q@example.com',
  mobile: '+971509876543',
  dateOfBirth: '1985-03-14',
};

describe('secrets and personal data stay out of logs and errors', () => {
  let stack: Stack;
  const lines: string[] = [];
  const responses: string[] = [];
  const errorsOnly: string[] = [];

  /** Runs a request and keeps its whole answer, and its errors apart, for the final checks. */
  async function record(run: Promise<{ body: { errors?: unknown } }>): Promise<void> {
    const { body } = await run;
    responses.push(JSON.stringify(body));
    if (body.errors) errorsOnly.push(JSON.stringify(body.errors));
  }

  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    stack = await startStack({ simulator: { seed: 'empty' }, deps: { logger } });
    const parent = await restCreate(stack.sim, { first_name: 'Parentina', email: 'parentina@example.com' });

    // A successful create and read: the data belongs in the answer, never in a log.
    await record(stack.run(Create, { input: { ...PERSONAL, parentUserId: parent.id } }));
    const id = stack.sim.users()[0]!.id;
    await record(stack.run(Lookup, { id }, { 'x-request-id': 'trace-me-123' }));

    // Invalid input the gateway refuses: values must not be echoed.
    await record(
      stack.run(Create, { input: { ...PERSONAL, email: `${PERSONAL.email}@@`, dateOfBirth: '2999-01-01' } }),
    );
    await record(stack.run(Create, { input: { ...PERSONAL, gender: PERSONAL.firstName as never } }));
    await record(stack.run(Create, { input: { ...PERSONAL, monthlySalary: PERSONAL.mobile as never } }));
    // Values built to look like the end of a message, so that cutting them out of the text would fail.
    await record(stack.run(Create, { input: { ...PERSONAL, dateOfBirth: `x; ${PERSONAL.lastName}` } }));
    await record(
      stack.run(Create, { input: { ...PERSONAL, gender: `a does not exist in ${PERSONAL.email}` as never } }),
    );
    await record(stack.run(Create, { input: { ...PERSONAL, address: { city: [`x; ${PERSONAL.mobile}`] as never } } }));
    for (const literal of [
      `gender: "x; ${PERSONAL.lastName}"`,
      `gender: ${PERSONAL.firstName}`,
      `monthlySalary: "${PERSONAL.email}"`,
    ]) {
      const answer = await stack.post(
        JSON.stringify({ query: `mutation { createUser(input: { firstName: "A", ${literal} }) { id } }` }),
      );
      const text = await answer.text();
      responses.push(text);
      errorsOnly.push(JSON.stringify(JSON.parse(text).errors));
    }
    const raw = await stack.post(`{"query": "mutation { createUser(input: {firstName: \\"${PERSONAL.firstName}\\"`);
    const rawText = await raw.text();
    responses.push(rawText);
    errorsOnly.push(rawText);

    // nCore echoing personal data in its error bodies: the gateway passes none of it on.
    stack.sim.setFaults({
      route: 'getUser',
      kind: 'status',
      status: 500,
      body: { raw: `<html>${PERSONAL.email} ${PERSONAL.lastName}</html>`, contentType: 'text/html' },
    });
    await record(stack.run(Lookup, { id: parent.id }));
    stack.sim.setFaults({
      route: 'createUser',
      kind: 'status',
      status: 400,
      body: {
        raw: JSON.stringify({
          error: {
            code: 'VALIDATION_ERROR',
            message: `bad ${PERSONAL.email}`,
            fields: [{ field: 'email', message: `${PERSONAL.email} is taken` }],
          },
        }),
      },
    });
    await record(stack.run(Create, { input: PERSONAL }));
    stack.sim.setFaults({ route: 'getUser', kind: 'status', status: 401, body: 'json' });
    await record(stack.run(Lookup, { id: parent.id }));
    stack.sim.clearFaults();
    // Refused before any operation exists.
    await (await stack.post(`{"query":"${' '.repeat(300_000)}"}`, { 'x-request-id': 'too-big-1' })).text();
  });
  afterAll(() => stack.close());

  it('logs one line per operation, with its request id and upstream call count', () => {
    const operations = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'graphql operation');
    expect(operations.length).toBeGreaterThanOrEqual(8);
    const lookup = operations.find((l) => l.requestId === 'trace-me-123');
    expect(lookup).toMatchObject({
      operation: 'RedactionLookup',
      type: 'query',
      status: 200,
      upstreamCalls: 2,
      errorCodes: [],
    });
    expect(stack.sim.requests.find((r) => r.headers['x-request-id'] === 'trace-me-123')).toBeDefined();
  });

  it('logs a request refused before any operation existed, with the code it was refused with', async () => {
    await expect
      .poll(() => lines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'too-big-1'))
      .toMatchObject({ status: 413, upstreamCalls: 0, errorCodes: ['PAYLOAD_TOO_LARGE'] });
  });

  it('writes no personal data and no key to the logs', () => {
    const log = lines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const value of [...Object.values(PERSONAL), 'Parentina', 'parentina@example.com', stack.sim.apiKey])
      expect(log).not.toContain(value);
  });

  it('echoes no personal data and no key in any error', () => {
    const errors = errorsOnly.join('\n');
    expect(errors).toContain('BAD_USER_INPUT');
    for (const value of [...Object.values(PERSONAL), 'Parentina', stack.sim.apiKey])
      expect(errors).not.toContain(value);
    for (const response of responses) expect(response).not.toContain('originalError');
    for (const response of responses) expect(response).not.toContain(stack.sim.url);
  });
});
