// A user's descendants as a tree, straight from the gateway with nothing but fetch: the first generations are
// drawn as soon as they arrive, the deeper ones (@defer) fill in as nCore answers, and statuses change live
// (userEvents over Server-Sent Events). `?gateway=<graphql url>&root=<user id>` choose what to show.

const params = new URLSearchParams(location.search);
const GATEWAY = params.get('gateway') ?? 'http://127.0.0.1:4000/graphql';
const ROOT = params.get('root') ?? 'd8f78aea-4db1-4e9c-a3d0-550ac484b4c2';
/** Credentials for a gateway that wants them, e.g. `{ authorization: 'Bearer …' }`. */
const HEADERS = {};
/** How deep the query goes: the user (0), children (1), grandchildren (2, deferred), their children (3, deferred). */
const DEEPEST = 3;
const GENERATIONS = ['The user', 'Children', 'Grandchildren', 'Great-grandchildren'];

// Children first; each child's children, and theirs, each in a deferred part of its own.
const FAMILY_TREE = `
  query FamilyTree($id: ID!) {
    user(id: $id) {
      ...Person
      children(first: 10) {
        nodes {
          ...Person
          ... @defer(label: "grandchildren") {
            children(first: 10) {
              nodes {
                ...Person
                ... @defer(label: "greatGrandchildren") {
                  children(first: 10) { nodes { ...Person } }
                }
              }
            }
          }
        }
      }
    }
  }
  fragment Person on User { id firstName lastName relationshipWithParent status }
`;

const FAMILY_EVENTS = `
  subscription FamilyEvents($root: ID!) {
    userEvents(descendantsOf: $root) { id type userId previousStatus status user { firstName lastName } }
  }
`;

/** What the page holds: the merged result, when each person arrived, statuses changed since. */
const state = {
  data: null,
  errors: [],
  start: performance.now(),
  /** id -> { part, ms }: the response part (0 = the first) that brought each person, and when. */
  arrived: new Map(),
  /** id -> status, from live events. */
  statuses: new Map(),
  /** One entry per response part: { part, ms, people } (people drawn after it). */
  parts: [],
};
// For a test or a curious developer: `window.familyTree.parts` tells what each part brought.
window.familyTree = state;

/** POSTs GraphQL to the gateway, asking for an incremental answer (`multipart/mixed`) when the query defers. */
function post(query, variables, accept) {
  return fetch(GATEWAY, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...HEADERS },
    body: JSON.stringify({ query, variables }),
  });
}

/** The decoded text of a response body, chunk by chunk as the network hands it over. */
async function* textChunks(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/**
 * The JSON parts of a `multipart/mixed` answer (GraphQL incremental delivery), each as soon as it is whole;
 * a plain JSON answer (an error before execution) is its only part.
 */
async function* multipartJson(response) {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/mixed')) {
    yield await response.json();
    return;
  }
  const delimiter = `\r\n--${/boundary="?([^";]+)"?/.exec(type)?.[1] ?? '-'}`;
  let buffer = '\r\n';
  for await (const chunk of textChunks(response)) {
    buffer += chunk;
    for (let at = buffer.indexOf(delimiter); at !== -1; at = buffer.indexOf(delimiter)) {
      const part = buffer.slice(0, at);
      buffer = buffer.slice(at + delimiter.length);
      // Headers, a blank line, the JSON; the preamble and the closing `--` have no blank line.
      const body = part.indexOf('\r\n\r\n');
      if (body !== -1) yield JSON.parse(part.slice(body + 4));
    }
  }
}

/** The `next` payloads of a GraphQL over SSE stream ("distinct connections" mode). */
async function* sseEvents(response) {
  let buffer = '';
  for await (const chunk of textChunks(response)) {
    buffer += chunk.replace(/\r\n/g, '\n');
    for (let at = buffer.indexOf('\n\n'); at !== -1; at = buffer.indexOf('\n\n')) {
      const lines = buffer.slice(0, at).split('\n');
      buffer = buffer.slice(at + 2);
      const event = lines
        .find((l) => l.startsWith('event:'))
        ?.slice(6)
        .trim();
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (event === 'complete') return;
      if (event === 'next' && data) yield JSON.parse(data);
    }
  }
}

/** Merges `source` into `target` key by key (objects and arrays alike), as deferred parts add fields. */
function deepMerge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    const here = target[key];
    target[key] =
      value && typeof value === 'object' && here && typeof here === 'object' ? deepMerge(here, value) : value;
  }
  return target;
}

/** Applies one part of the 2022 incremental format: the initial `data`, then `incremental: [{ path, data }]`. */
function applyPart(payload) {
  if (payload.data) state.data = payload.data;
  for (const item of payload.incremental ?? []) {
    let target = state.data;
    for (const key of item.path ?? []) target = target?.[key];
    if (target && item.data) deepMerge(target, item.data);
    state.errors.push(...(item.errors ?? []));
  }
  state.errors.push(...(payload.errors ?? []));
}

const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
};
const fullName = (person) => [person.firstName, person.lastName].filter(Boolean).join(' ');

/** One person and, below, its children: fetched, still on their way, or unavailable. */
function personNode(person, depth, part, levels) {
  if (!state.arrived.has(person.id))
    state.arrived.set(person.id, { part, ms: Math.round(performance.now() - state.start) });
  const arrival = state.arrived.get(person.id);
  levels[depth] ??= { people: 0, firstPart: arrival.part, lastPart: 0, lastMs: 0 };
  const level = levels[depth];
  level.people += 1;
  level.firstPart = Math.min(level.firstPart, arrival.part);
  level.lastPart = Math.max(level.lastPart, arrival.part);
  level.lastMs = Math.max(level.lastMs, arrival.ms);

  const status = state.statuses.get(person.id) ?? person.status ?? 'UNKNOWN';
  const card = el(
    'div',
    { class: 'person', 'data-status': status },
    el('span', { class: 'name' }, fullName(person)),
    ...(depth > 0 && person.relationshipWithParent
      ? [el('span', { class: 'relation' }, person.relationshipWithParent.toLowerCase())]
      : []),
    el('span', { class: 'status' }, status),
    el(
      'span',
      { class: arrival.part > 0 ? 'arrival deferred' : 'arrival', title: 'when this person arrived' },
      `part ${arrival.part} · +${arrival.ms} ms`,
    ),
  );
  const item = el('li', { 'data-id': person.id, 'data-depth': depth, 'data-part': arrival.part }, card);
  const list = el('ul');
  if (person.children === null) list.append(el('li', { class: 'unavailable' }, 'children unavailable'));
  else if (person.children)
    for (const child of person.children.nodes) list.append(personNode(child, depth + 1, part, levels));
  else if (depth < DEEPEST) list.append(el('li', { class: 'pending' }, 'on its way…'));
  if (list.childElementCount) item.append(list);
  return item;
}

/** Draws the tree as it stands after part `part`, and what each generation's arrival looked like. */
function draw(part) {
  const user = state.data?.user;
  const tree = document.getElementById('tree');
  const levels = [];
  if (!user) {
    const problem = state.errors[0]?.message ?? `no user ${ROOT}`;
    tree.replaceChildren(el('li', { class: 'error' }, problem));
    return;
  }
  document.getElementById('title').textContent = `The family of ${fullName(user)}`;
  tree.replaceChildren(personNode(user, 0, part, levels));
  state.parts.push({ part, ms: Math.round(performance.now() - state.start), people: state.arrived.size });
  document.getElementById('levels').replaceChildren(
    ...levels.map((level, depth) => {
      const parts =
        level.firstPart === level.lastPart ? `part ${level.firstPart}` : `parts ${level.firstPart}–${level.lastPart}`;
      return el(
        'li',
        { 'data-level': depth, 'data-last-part': level.lastPart, 'data-ms': level.lastMs },
        `${GENERATIONS[depth]}: ${level.people} in ${parts}, +${level.lastMs} ms`,
      );
    }),
  );
}

/** Fetches the tree, drawing it again as each part arrives. */
async function loadTree() {
  try {
    const response = await post(FAMILY_TREE, { id: ROOT }, 'multipart/mixed, application/graphql-response+json');
    let part = 0;
    for await (const payload of multipartJson(response)) {
      applyPart(payload);
      draw(part++);
    }
    document.body.dataset.state = !state.data?.user ? 'error' : state.errors.length ? 'partial' : 'complete';
  } catch (error) {
    document.body.dataset.state = 'error';
    document.getElementById('tree').replaceChildren(el('li', { class: 'error' }, `cannot reach ${GATEWAY}: ${error}`));
  }
}

/** Shows one live event; a status change repaints that person's badge where it is. */
function onEvent({ data, errors }) {
  if (errors?.length) return setLive('closed', errors[0].message);
  const event = data.userEvents;
  const who = event.user ? fullName(event.user) : event.userId;
  const change = event.previousStatus ? `: ${event.previousStatus} → ${event.status}` : '';
  document.getElementById('events').prepend(el('li', {}, `${event.type.toLowerCase()} — ${who}${change}`));
  if (event.type !== 'USER_STATUS_CHANGE' || !event.status) return;
  state.statuses.set(event.userId, event.status);
  const card = document.querySelector(`li[data-id="${event.userId}"] > .person`);
  if (!card) return;
  card.dataset.status = event.status;
  const badge = card.querySelector('.status');
  badge.textContent = event.status;
  badge.classList.add('changed');
}

function setLive(value, text) {
  document.body.dataset.live = value;
  document.getElementById('live').textContent = text;
}

/** Follows the family's events for as long as the page is open, reconnecting after a pause when cut. */
async function followEvents() {
  for (let pause = 1000; ; pause = Math.min(pause * 2, 30_000)) {
    try {
      const response = await post(FAMILY_EVENTS, { root: ROOT }, 'text/event-stream');
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      setLive('open', 'live');
      for await (const payload of sseEvents(response)) {
        pause = 1000;
        onEvent(payload);
      }
      setLive('closed', 'live events ended, reconnecting…');
    } catch (error) {
      setLive('closed', `live events cut (${error.message}), retrying…`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

loadTree();
followEvents();
