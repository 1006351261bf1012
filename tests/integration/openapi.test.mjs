// The OpenAPI description (docs/openapi.json) kept true:
//   - the validator in schema-check.mjs, on good and bad instances (so it can fail);
//   - the document itself: OpenAPI 3.1, unique operationIds, every $ref resolving, schemas the
//     validator can check, path parameters matching the templates;
//   - the route table (`lonua routes --json`, test routes off): every /api/v1/ route is
//     documented with its method, role and declared inputs, and nothing documented is missing
//     from the table;
//   - the live server: GET /api/v1/openapi.json serves the same document, and every documented
//     GET operation answers (with id 1, with each documented enum value, with an absent id,
//     with a malformed query, with a wrong method) a documented status whose headers and body
//     validate against the document.
//
//   LONUA_BIN=build/lonua LONUA_BASE_URL=http://127.0.0.1:18080 node tests/integration/openapi.test.mjs
//
// Without LONUA_BASE_URL the live checks fail (they say why); the others still run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { test, run, assert } from '../lib/tap.mjs';
import { validate, resolvePointer, deepEqual, schemaProblems, typeOf } from './schema-check.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOC_FILE = path.resolve(HERE, '../../docs/openapi.json');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const API_PREFIX = '/api/v1/';
const ABSENT_ID = 999999;
// Query parameters every operation may take although no route declares them: the worker reads
// them before routing (see src/server/worker.c).
const GLOBAL_QUERY_PARAMS = new Set(['lang']);

const note = (s) => console.log(`# ${s}`);
const attempt = (fn) => {
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  }
};

// ---- inputs: the document, the route table, the server ----------------------------------------

const docLoad = attempt(() => JSON.parse(fs.readFileSync(DOC_FILE, 'utf8')));
function doc() {
  if (docLoad.error) throw new Error(`cannot read ${DOC_FILE}: ${docLoad.error.message}`);
  return docLoad.value;
}

const routesLoad = attempt(() => {
  const bin = process.env.LONUA_BIN;
  if (!bin) throw new Error('LONUA_BIN is not set (the path of the lonua binary, to run `lonua routes --json`)');
  const out = execFileSync(bin, ['routes', '--json'], {
    env: { ...process.env, LONUA_TEST_ROUTES: '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10000,
  });
  const list = JSON.parse(out);
  if (!Array.isArray(list)) throw new Error(`\`lonua routes --json\` did not print a JSON array: ${out.slice(0, 200)}`);
  return list;
});
function routeTable() {
  if (routesLoad.error) throw new Error(`\`$LONUA_BIN routes --json\` failed: ${routesLoad.error.message}`);
  return routesLoad.value;
}

const BASE = (process.env.LONUA_BASE_URL || '').replace(/\/+$/, '');
const http = BASE ? await import('./http.mjs') : null;
function live() {
  if (!http) throw new Error('LONUA_BASE_URL is not set (the URL of nginx in front of `lonua serve`): cannot call the API');
  return http;
}

// ---- helpers ------------------------------------------------------------------------------------

// "/api/v1/categories/{id}" and "/api/v1/categories/{category_id}" are the same path.
const normPath = (p) => p.replace(/\{[^}/]*\}/g, '{}');
const templateParams = (p) => [...p.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]);

// Follows $ref chains of a document object (a parameter, a response, a header).
function deref(obj, seen = 0) {
  if (obj && typeof obj === 'object' && typeof obj.$ref === 'string') {
    if (seen > 20) throw new Error(`$ref cycle at ${obj.$ref}`);
    return deref(resolvePointer(doc(), obj.$ref), seen + 1);
  }
  return obj;
}

// Every operation of the document: { method (upper case), path, norm, op, params, label }.
function operations() {
  const ops = [];
  for (const [p, item0] of Object.entries(doc().paths || {})) {
    const item = deref(item0);
    for (const m of HTTP_METHODS) {
      if (!item[m]) continue;
      const op = item[m];
      const params = new Map();
      for (const prm of [...(item.parameters || []), ...(op.parameters || [])].map((x) => deref(x))) {
        params.set(`${prm.in}:${prm.name}`, prm); // operation level overrides path level
      }
      ops.push({ method: m.toUpperCase(), path: p, norm: normPath(p), op, params: [...params.values()],
        label: `${op.operationId || '(no operationId)'} ${m.toUpperCase()} ${p}` });
    }
  }
  return ops;
}
const opsLoad = attempt(operations);

function schemaOf(prm) {
  return deref(prm.schema || {});
}

// Collects the properties a schema describes, through $ref and allOf.
function schemaProperties(schema, out = new Map(), required = new Set(), depth = 0) {
  schema = deref(schema);
  if (!schema || typeof schema !== 'object' || depth > 20) return { props: out, required };
  for (const [k, v] of Object.entries(schema.properties || {})) if (!out.has(k)) out.set(k, deref(v));
  for (const r of schema.required || []) required.add(r);
  for (const sub of schema.allOf || []) schemaProperties(sub, out, required, depth + 1);
  return { props: out, required };
}

// The media type of an answer, lower case, without parameters.
const mediaTypeOf = (res) => String(res.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
const isJson = (mt) => mt === 'application/json' || mt.endsWith('+json');

// The documented response for a status: "404", then "4XX", then "default".
function documentedResponse(responses, status) {
  for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
    if (responses && responses[key]) return { key, response: deref(responses[key]) };
  }
  return null;
}

// Checks an answer against a documented response object: required headers present, every
// documented header's value valid, the media type documented, the body valid. Returns the list
// of mismatches (empty when the answer is as documented).
function answerProblems(response, res) {
  const errors = [];
  for (const [name, h0] of Object.entries(response.headers || {})) {
    if (name.toLowerCase() === 'content-type') continue; // OpenAPI ignores it: the media type says it
    const h = deref(h0);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (h.required) errors.push(`header ${name} is missing`);
      continue;
    }
    const schema = deref(h.schema || {});
    const typed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
    errors.push(...validate(schema, typed, { root: doc(), path: `header ${name}` }));
  }
  const content = response.content || {};
  const mt = mediaTypeOf(res);
  if (Object.keys(content).length === 0) {
    if (res.body.length) errors.push(`a body (${mt}) where the document has none`);
    return errors;
  }
  const key = content[mt] ? mt : Object.keys(content).find((k) => k === `${mt.split('/')[0]}/*` || k === '*/*');
  if (!key) {
    errors.push(`media type "${mt}" is not documented (documented: ${Object.keys(content).join(', ')})`);
    return errors;
  }
  const schema = content[key].schema;
  if (!schema) {
    errors.push(`no schema documented for ${key}`);
    return errors;
  }
  if (!isJson(mt)) {
    errors.push(`${mt} is not JSON: this test only checks JSON bodies`);
    return errors;
  }
  let body;
  try {
    body = JSON.parse(res.text);
  } catch (err) {
    errors.push(`the body is not JSON: ${err.message}`);
    return errors;
  }
  errors.push(...validate(schema, body, { root: doc(), path: '$' }));
  return errors;
}

// Asserts that the answer to `what` has a status documented in responses and matches it.
function assertDocumented(what, responses, res, expected) {
  const found = documentedResponse(responses, res.status);
  assert.ok(found, `${what}: status ${res.status} is not documented (documented: ${Object.keys(responses || {}).join(', ')}): ${live().describe(res)}`);
  if (expected !== undefined) {
    assert.equal(res.status, expected, `${what}: expected ${expected}, got ${live().describe(res)}`);
  }
  const errors = answerProblems(found.response, res);
  if (errors.length) {
    assert.fail(`${what} → ${res.status}: the answer does not match the document (response "${found.key}"):\n    ${errors.join('\n    ')}\n  answer: ${live().describe(res)}`);
  }
  return found.key;
}

// A concrete path: every {param} replaced by value.
const fill = (p, value) => p.replace(/\{[^}/]+\}/g, String(value));
const withQuery = (p, q) => (q ? `${p}?${q}` : p);

// ---- the validator -------------------------------------------------------------------------------

const expectErrors = (schema, value, wanted, opts) => {
  const errors = validate(schema, value, opts);
  assert.ok(errors.length > 0, `expected errors for ${JSON.stringify(value)} against ${JSON.stringify(schema)}, got none`);
  for (const w of wanted) {
    assert.ok(errors.some((e) => e.includes(w)), `expected an error containing ${JSON.stringify(w)}, got ${JSON.stringify(errors)}`);
  }
};
const omit = (obj, key) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));
const expectValid = (schema, value, opts) => {
  const errors = validate(schema, value, opts);
  assert.deepEqual(errors, [], `expected ${JSON.stringify(value)} to validate against ${JSON.stringify(schema)}`);
};

test('schema-check: type, including lists of types, integer and null', () => {
  expectValid({ type: 'integer' }, 3);
  expectValid({ type: 'number' }, 3);
  expectValid({ type: 'number' }, 3.5);
  expectValid({ type: ['string', 'null'] }, null);
  expectValid({ type: ['string', 'null'] }, 'x');
  expectErrors({ type: 'integer' }, 3.5, ['$: expected integer, got number']);
  expectErrors({ type: 'string' }, 1, ['$: expected string, got integer']);
  expectErrors({ type: ['string', 'null'] }, false, ['expected string or null, got boolean']);
  expectErrors({ type: 'object' }, [], ['expected object, got array']);
  expectErrors({ type: 'array' }, {}, ['expected array, got object']);
  expectErrors({ type: 'null' }, 0, ['expected null']);
  expectErrors({ type: 'boolean' }, 'true', ['expected boolean']);
});

test('schema-check: properties, required, additionalProperties (false and a schema), with JSON paths', () => {
  const s = {
    type: 'object',
    required: ['id', 'name'],
    additionalProperties: false,
    properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string' }, tags: { type: 'object', additionalProperties: { type: 'string' } } },
  };
  expectValid(s, { id: 1, name: 'a', tags: { x: 'y' } });
  expectErrors(s, { id: 1 }, ['$: required property "name" is missing']);
  expectErrors(s, { id: 1, name: 'a', extra: 1 }, ['$.extra: property not allowed here']);
  expectErrors(s, { id: 0, name: 'a' }, ['$.id: 0 is less than the minimum 1']);
  expectErrors(s, { id: 1, name: 'a', tags: { 'a b': 2 } }, ['$.tags["a b"]: expected string, got integer']);
  expectValid({ type: 'object' }, { anything: [1, 2] });
});

test('schema-check: items, enum, const, numbers, strings and patterns', () => {
  const list = { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', enum: ['ko', 'en'] } };
  expectValid(list, ['ko', 'en']);
  expectErrors(list, ['ko', 'fr'], ['$[1]: "fr" is not one of ["ko","en"]']);
  expectErrors(list, [], ['fewer than minItems 1']);
  expectErrors(list, ['ko', 'ko', 'ko'], ['more than maxItems 2']);
  expectValid({ const: 422 }, 422);
  expectErrors({ const: 422 }, 404, ['$: expected 422, got 404']);
  expectValid({ enum: [1, 'a', null, { x: 1 }] }, { x: 1 });
  expectErrors({ type: 'integer', maximum: 100 }, 101, ['more than the maximum 100']);
  expectErrors({ type: 'number', exclusiveMinimum: 0 }, 0, ['is not more than 0']);
  expectErrors({ type: 'number', exclusiveMaximum: 10 }, 10, ['is not less than 10']);
  // lengths count code points, not UTF-16 units or bytes
  expectValid({ type: 'string', minLength: 2, maxLength: 2 }, '상의');
  expectValid({ type: 'string', maxLength: 1 }, '😀');
  expectErrors({ type: 'string', minLength: 1 }, '', ['fewer than minLength 1']);
  expectErrors({ type: 'string', maxLength: 3 }, 'abcd', ['more than maxLength 3']);
  expectValid({ type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, 'business_casual');
  expectErrors({ type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, 'Tops', ['does not match']);
  // a pattern is not anchored unless it says so (JSON Schema semantics)
  expectValid({ pattern: 'b' }, 'abc');
  // keywords for one type leave other types alone
  expectValid({ minLength: 5, minimum: 10, items: { type: 'string' } }, true);
});

test('schema-check: $ref (with siblings), allOf, anyOf, oneOf', () => {
  const root = {
    components: {
      schemas: {
        Id: { type: 'integer', minimum: 1 },
        Item: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { $ref: '#/components/schemas/Id' } } },
        Narrow: { $ref: '#/components/schemas/Item', required: ['id'] },
        'a/b': { const: 'slash' },
      },
    },
  };
  const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
  expectValid(ref('Item'), { id: 5 }, { root });
  expectErrors(ref('Item'), { id: -1 }, ['$.id: -1 is less than the minimum 1'], { root });
  expectErrors(ref('Narrow'), {}, ['required property "id" is missing'], { root });
  expectValid({ $ref: '#/components/schemas/a~1b' }, 'slash', { root });
  expectErrors(ref('Nope'), 1, ['does not resolve'], { root });
  expectErrors({ $ref: 'http://example.com/x.json' }, 1, ['is not a local pointer'], { root });
  const envelope = {
    allOf: [
      { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array' } } },
      { properties: { items: { items: ref('Item') } } },
    ],
  };
  expectValid(envelope, { items: [{ id: 1 }] }, { root });
  expectErrors(envelope, { items: [{ id: 1 }, { id: 'x' }] }, ['$.items[1].id: expected integer'], { root });
  expectErrors(envelope, { items: [], more: 1 }, ['$.more: property not allowed here'], { root });
  const any = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  expectValid(any, 'x');
  expectValid(any, 1);
  expectErrors(any, null, ['matches none of anyOf']);
  const one = { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }] };
  expectValid(one, -1);
  expectValid(one, 0.5);
  expectErrors(one, 2, ['matches more than one of oneOf']);
  expectErrors(one, 'x', ['matches none of oneOf']);
  // a $ref cycle ends with an error, not a stack overflow
  const loop = { components: { schemas: { A: { $ref: '#/components/schemas/A' } } } };
  expectErrors(ref('A'), 1, ['a $ref cycle'], { root: loop });
});

test('schema-check: an unknown keyword is an error, never silently ignored', () => {
  expectErrors({ type: 'object', patternProperties: { '^x': { type: 'string' } } }, { x: 1 }, ['unsupported schema keyword "patternProperties"']);
  expectValid({ type: 'string', description: 'annotations are fine', format: 'email', example: 'a@b.c', 'x-note': 1 }, 'a');
  const problems = schemaProblems({
    type: 'object',
    properties: { a: { type: 'strnig' }, b: { $ref: '#/nope' }, c: { pattern: '(' }, d: { type: 'integer', example: 'x' } },
    not: {},
  });
  for (const w of ['unsupported schema keyword "not"', '#/properties/a: unknown type "strnig"', '#/properties/b: $ref #/nope does not resolve',
    '#/properties/c: bad pattern', '#/properties/d/example: $: expected integer']) {
    assert.ok(problems.some((p) => p.includes(w)), `schemaProblems should report ${JSON.stringify(w)}: ${JSON.stringify(problems)}`);
  }
});

test("schema-check: the document's own schemas accept good answers and refuse bad ones", () => {
  const root = doc();
  const s = (name) => ({ $ref: `#/components/schemas/${name}` });
  const item = { id: 1, code: 'tops', name: '상의', name_ko: '상의', name_en: 'Tops' };
  expectValid(s('Category'), item, { root });
  expectValid(s('Style'), { ...item, code: 'business_casual' }, { root });
  expectErrors(s('Category'), { ...item, price: 1000 }, ['$.price: property not allowed here'], { root });
  expectErrors(s('Category'), omit(item, 'name_en'), ['required property "name_en" is missing'], { root });
  expectErrors(s('Category'), { ...item, id: 0 }, ['$.id: 0 is less than the minimum 1'], { root });
  expectErrors(s('Category'), { ...item, id: '1' }, ['$.id: expected integer'], { root });
  expectErrors(s('Style'), { ...item, code: 'Business Casual' }, ['$.code:'], { root });
  const list = { items: [item], page: 1, per_page: 1, total: 1, total_is_lower_bound: false };
  expectValid(s('CategoryList'), list, { root });
  expectErrors(s('CategoryList'), { ...list, items: [{ ...item, name: 7 }] }, ['$.items[0].name: expected string'], { root });
  expectErrors(s('CategoryList'), omit(list, 'total_is_lower_bound'), ['required property "total_is_lower_bound"'], { root });
  expectErrors(s('StyleList'), { ...list, page: 101 }, ['$.page: 101 is more than the maximum 100'], { root });
  expectErrors(s('StyleList'), { ...list, total: 10001 }, ['$.total:'], { root });
  expectErrors(s('StyleList'), { ...list, count: 1 }, ['$.count: property not allowed here'], { root });
  const problem = { type: 'urn:lonua:problem:not-found', title: 'Not Found', status: 404, detail: 'No such item.', code: 'NOT_FOUND', request_id: 'abc' };
  expectValid(s('Problem'), problem, { root });
  expectErrors(s('Problem'), omit(problem, 'request_id'), ['required property "request_id"'], { root });
  expectErrors(s('Problem'), { ...problem, type: 'about:blank' }, ['$.type:'], { root });
  const notFound = deref({ $ref: '#/components/responses/NotFound' }).content['application/problem+json'].schema;
  expectValid(notFound, problem, { root });
  expectErrors(notFound, { ...problem, status: 410 }, ['$.status: expected 404, got 410'], { root });
  const invalid = { ...problem, type: 'urn:lonua:problem:validation-failed', status: 422, code: 'VALIDATION_FAILED', errors: { per_page: 'too_large' } };
  expectValid(s('ValidationProblem'), invalid, { root });
  expectErrors(s('ValidationProblem'), { ...invalid, errors: { per_page: 3 } }, ['$.errors.per_page: expected string'], { root });
  expectErrors(s('ValidationProblem'), omit(invalid, 'errors'), ['required property "errors"'], { root });
  expectErrors(s('Problem'), invalid, ['$.errors: property not allowed here'], { root });
});

// ---- the document -------------------------------------------------------------------------------

test('docs/openapi.json is OpenAPI 3.1 with info, servers [{"url":"/"}], paths and components', () => {
  const d = doc();
  assert.equal(d.openapi, '3.1.0', 'openapi');
  assert.equal(typeof d.info?.title, 'string', 'info.title');
  assert.equal(typeof d.info?.version, 'string', 'info.version');
  assert.deepEqual(d.servers, [{ url: '/' }], 'servers');
  assert.equal(typeOf(d.paths), 'object', 'paths');
  for (const k of ['schemas', 'responses', 'parameters']) assert.equal(typeOf(d.components?.[k]), 'object', `components.${k}`);
  for (const name of ['Category', 'Style', 'ReferenceItem', 'ListEnvelope', 'Problem', 'ValidationProblem']) {
    assert.ok(d.components.schemas[name], `components.schemas.${name} is missing`);
  }
  for (const name of ['NotFound', 'MethodNotAllowed', 'ValidationFailed', 'ServiceUnavailable']) {
    assert.ok(d.components.responses[name], `components.responses.${name} is missing`);
  }
  const lang = d.components.parameters.lang;
  assert.deepEqual([lang?.in, lang?.schema?.enum], ['query', ['ko', 'en']], 'components.parameters.lang');
  const id = d.components.parameters.id;
  assert.deepEqual([id?.in, id?.required, id?.schema?.type, id?.schema?.minimum], ['path', true, 'integer', 1], 'components.parameters.id');
});

test('every $ref in the document resolves', () => {
  const d = doc();
  const refs = [];
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push([where, v]);
        else walk(v, `${where}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
    }
  };
  walk(d, '#');
  const broken = [];
  for (const [where, ref] of refs) {
    try {
      resolvePointer(d, ref);
    } catch (err) {
      broken.push(`${where}: ${err.message}`);
    }
  }
  assert.deepEqual(broken, [], `unresolved $refs:\n  ${broken.join('\n  ')}`);
  assert.ok(refs.length > 0, 'no $ref at all?');
  note(`${refs.length} $refs resolve`);
});

test('every operation has a unique operationId, a summary, declared tags and responses with content schemas', () => {
  const d = doc();
  const declaredTags = new Set((d.tags || []).map((t) => t.name));
  const ids = new Map();
  const problems = [];
  const ops = opsLoad.value || operations();
  for (const o of ops) {
    const { op, label } = o;
    if (typeof op.operationId !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) problems.push(`${label}: operationId missing or not camelCase`);
    else if (ids.has(op.operationId)) problems.push(`${label}: operationId also used by ${ids.get(op.operationId)}`);
    else ids.set(op.operationId, `${o.method} ${o.path}`);
    if (typeof op.summary !== 'string' || !op.summary) problems.push(`${label}: no summary`);
    if (!Array.isArray(op.tags) || !op.tags.length) problems.push(`${label}: no tags`);
    for (const t of op.tags || []) if (!declaredTags.has(t)) problems.push(`${label}: tag "${t}" is not declared in the top-level tags`);
    const responses = Object.entries(op.responses || {});
    if (!responses.length) problems.push(`${label}: no responses`);
    if (!responses.some(([k]) => /^2/.test(k))) problems.push(`${label}: no success response`);
    for (const [status, r0] of responses) {
      if (!/^([1-5][0-9][0-9]|[1-5]XX|default)$/.test(status)) problems.push(`${label}: response key "${status}"`);
      const r = deref(r0);
      if (typeof r?.description !== 'string') problems.push(`${label} ${status}: no description`);
      if (status === '204' || status === '304') continue;
      const content = Object.entries(r?.content || {});
      if (!content.length) problems.push(`${label} ${status}: no content`);
      for (const [mt, media] of content) {
        if (!media.schema) problems.push(`${label} ${status} ${mt}: no schema`);
        if (/^[45]/.test(status) && mt !== 'application/problem+json') problems.push(`${label} ${status}: errors are application/problem+json, not ${mt}`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.ok(ops.length > 0, 'no operations');
  note(`${ops.length} operations: ${ops.map((o) => o.op.operationId).join(', ')}`);
});

test('every schema uses only keywords the validator checks, and every example validates', () => {
  const d = doc();
  const problems = [];
  const schemas = [];
  for (const [name, s] of Object.entries(d.components.schemas)) schemas.push([`#/components/schemas/${name}`, s]);
  const collect = (where, obj) => {
    obj = deref(obj);
    if (obj?.schema) schemas.push([`${where}/schema`, obj.schema]);
    for (const [mt, media] of Object.entries(obj?.content || {})) {
      if (media.schema) schemas.push([`${where}/content/${mt}/schema`, media.schema]);
      if ('example' in media) for (const e of validate(media.schema, media.example, { root: d })) problems.push(`${where}/content/${mt}/example: ${e}`);
    }
    for (const [h, v] of Object.entries(obj?.headers || {})) collect(`${where}/headers/${h}`, v);
  };
  for (const kind of ['responses', 'parameters', 'headers', 'requestBodies']) {
    for (const [name, obj] of Object.entries(d.components[kind] || {})) collect(`#/components/${kind}/${name}`, obj);
  }
  for (const o of opsLoad.value || operations()) {
    for (const prm of o.params) collect(`${o.label} parameter ${prm.name}`, prm);
    if (o.op.requestBody) collect(`${o.label} requestBody`, o.op.requestBody);
    for (const [status, r] of Object.entries(o.op.responses || {})) collect(`${o.label} ${status}`, r);
  }
  for (const [where, s] of schemas) problems.push(...schemaProblems(s, { root: d, path: where }));
  assert.deepEqual(problems, [], problems.join('\n'));
  note(`${schemas.length} schemas checked`);
});

test('path templates and path parameters agree: each {name} is a required integer ≥ 1', () => {
  const problems = [];
  for (const o of opsLoad.value || operations()) {
    const inTemplate = templateParams(o.path);
    const declared = o.params.filter((p) => p.in === 'path');
    for (const name of inTemplate) {
      const p = declared.find((x) => x.name === name);
      if (!p) { problems.push(`${o.label}: {${name}} is not declared as a path parameter`); continue; }
      const s = schemaOf(p);
      if (p.required !== true) problems.push(`${o.label}: path parameter ${name} is not required: true`);
      if (s.type !== 'integer' || s.minimum !== 1) problems.push(`${o.label}: path parameter ${name} is not {type: integer, minimum: 1} (the router only matches positive integers)`);
    }
    for (const p of declared) if (!inTemplate.includes(p.name)) problems.push(`${o.label}: path parameter ${p.name} is not in the path`);
    const names = o.params.map((p) => `${p.in}:${p.name}`);
    if (new Set(names).size !== names.length) problems.push(`${o.label}: a parameter is declared twice`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the document describes only /api/v1/ paths, and no test route', () => {
  const paths = Object.keys(doc().paths);
  const outside = paths.filter((p) => !p.startsWith(API_PREFIX));
  const testOnly = paths.filter((p) => p.startsWith(`${API_PREFIX}test/`));
  assert.deepEqual(outside, [], 'paths outside /api/v1/');
  assert.deepEqual(testOnly, [], 'test-only paths (served only with LONUA_TEST_ROUTES=1)');
  assert.ok(paths.includes('/api/v1/openapi.json'), 'the document does not describe /api/v1/openapi.json itself');
});

// ---- the route table ------------------------------------------------------------------------------

function documentedOp(method, p) {
  return (opsLoad.value || []).find((o) => o.method === method && o.norm === normPath(p));
}

// Compares the inputs a route declares with the operation's parameters and request body.
function inputProblems(route, o) {
  const problems = [];
  const queryParams = new Map(o.params.filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const bodyProps = { props: new Map(), required: new Set() };
  const rb = deref(o.op.requestBody);
  for (const media of Object.values(rb?.content || {})) schemaProperties(media.schema, bodyProps.props, bodyProps.required);
  for (const input of route.inputs || []) {
    let where = null;
    let schema = null;
    let required = false;
    const inQuery = queryParams.get(input.name);
    if ((input.in === 'query' || input.in === 'query_or_body') && inQuery) {
      where = 'query';
      schema = schemaOf(inQuery);
      required = inQuery.required === true;
    } else if ((input.in === 'body' || input.in === 'query_or_body') && bodyProps.props.has(input.name)) {
      where = 'body';
      schema = bodyProps.props.get(input.name);
      required = bodyProps.required.has(input.name) && rb.required === true;
    }
    const label = `input ${input.name} (${input.type}, ${input.in})`;
    if (!where) {
      problems.push(`${label} is not documented (${input.in === 'body' ? 'a requestBody property' : 'a query parameter'})`);
      continue;
    }
    if (required !== input.required) problems.push(`${label}: required is ${input.required} in the route, ${required} in the document`);
    const expectType = { integer: 'integer', string: 'string', boolean: 'boolean', enum: 'string', file: 'string' }[input.type];
    if (schema.type !== expectType) problems.push(`${label}: documented type ${JSON.stringify(schema.type)}, expected "${expectType}"`);
    if (input.type === 'enum' && !deepEqual(schema.enum, input.choices)) problems.push(`${label}: documented enum ${JSON.stringify(schema.enum)}, route choices ${JSON.stringify(input.choices)}`);
    if (input.type === 'integer' && 'min' in input) {
      if (schema.minimum !== input.min) problems.push(`${label}: documented minimum ${schema.minimum}, route min ${input.min}`);
      if (schema.maximum !== input.max) problems.push(`${label}: documented maximum ${schema.maximum}, route max ${input.max}`);
    }
    if (input.type === 'string' && 'min' in input) {
      if (input.min > 0 && schema.minLength !== input.min) problems.push(`${label}: documented minLength ${schema.minLength}, route min ${input.min}`);
      if (input.max > 0 && schema.maxLength !== input.max) problems.push(`${label}: documented maxLength ${schema.maxLength}, route max ${input.max}`);
    }
  }
  const declared = new Set((route.inputs || []).map((i) => i.name));
  for (const name of queryParams.keys()) {
    if (!declared.has(name) && !GLOBAL_QUERY_PARAMS.has(name)) problems.push(`query parameter ${name} is documented but the route does not declare it`);
  }
  if ((route.inputs || []).length && !o.op.responses?.['422']) problems.push('the route declares inputs but 422 is not documented');
  return problems;
}

if (routesLoad.error || docLoad.error || opsLoad.error) {
  test('the route table (`lonua routes --json`) and the document can be read', () => {
    routeTable();
    doc();
    if (opsLoad.error) throw opsLoad.error;
  });
} else {
  const table = routesLoad.value;
  test('`lonua routes --json` (LONUA_TEST_ROUTES=0) lists the API routes and no test route', () => {
    assert.ok(table.every((r) => typeof r.method === 'string' && typeof r.path === 'string'), 'every route has method and path');
    assert.ok(table.some((r) => r.path.startsWith(API_PREFIX)), 'no /api/v1/ route at all');
    const testOnly = table.filter((r) => r.test_only || r.path.startsWith(`${API_PREFIX}test/`));
    assert.deepEqual(testOnly, [], 'test routes are listed although LONUA_TEST_ROUTES=0');
    note(`${table.length} routes, ${table.filter((r) => r.path.startsWith(API_PREFIX)).length} under ${API_PREFIX}`);
  });

  for (const route of table.filter((r) => r.path.startsWith(API_PREFIX) && !r.test_only)) {
    test(`route ${route.method} ${route.path} is documented, with its role and inputs`, () => {
      const o = documentedOp(route.method, route.path);
      const samePath = (opsLoad.value || []).filter((x) => x.norm === normPath(route.path)).map((x) => x.method);
      assert.ok(o, `${route.method} ${route.path} is served but not in docs/openapi.json` +
        (samePath.length ? ` (the path is documented with ${samePath.join(', ')} only)` : ' (the path is not documented at all)'));
      note(`${route.method} ${route.path} → ${o.op.operationId}`);
      assert.equal(o.op['x-lonua-role'], route.role, `${o.label}: x-lonua-role differs from the route's role`);
      const problems = inputProblems(route, o);
      assert.deepEqual(problems, [], `${o.label}:\n  ${problems.join('\n  ')}`);
    });
  }

  for (const o of opsLoad.value) {
    test(`documented ${o.label} is in the route table`, () => {
      const found = table.find((r) => r.method === o.method && normPath(r.path) === o.norm && !r.test_only);
      assert.ok(found, `${o.label} is documented but \`lonua routes --json\` has no such route (stale entry, or not built yet)`);
    });
  }
}

// ---- the live server ------------------------------------------------------------------------------
// Without LONUA_BASE_URL they are one failing test that says why, not one per operation.
if (!http) {
  test('the live checks can run (LONUA_BASE_URL)', () => live());
} else {
  test('GET /api/v1/openapi.json answers 200 application/json equal to docs/openapi.json', async () => {
    const res = await live().get('/api/v1/openapi.json');
    if (res.status === 404) {
      assert.fail(`GET /api/v1/openapi.json answered 404: the route is not served yet (add it to src/http/routes.c); ${live().describe(res)}`);
    }
    assert.equal(res.status, 200, `GET /api/v1/openapi.json: ${live().describe(res)}`);
    assert.equal(mediaTypeOf(res), 'application/json', `content type: ${live().describe(res)}`);
    let served;
    try {
      served = JSON.parse(res.text);
    } catch (err) {
      assert.fail(`the served document is not JSON (${err.message}): ${live().describe(res)}`);
    }
    assert.deepStrictEqual(served, doc(), 'the served document differs from docs/openapi.json (a stale LONUA_DATA_DIR, or a worker started before the file changed?)');
  });

  // The calls a GET operation gets: ids 1 and no query, then each value of each documented enum
  // query parameter (lang=ko, lang=en).
  function successCalls(o) {
    const p = fill(o.path, 1);
    const calls = [p];
    for (const prm of o.params.filter((x) => x.in === 'query')) {
      for (const v of schemaOf(prm).enum || []) calls.push(withQuery(p, `${encodeURIComponent(prm.name)}=${encodeURIComponent(v)}`));
    }
    return calls;
  }

  // A query that makes a declared input invalid, or null when none can be made invalid.
  function invalidQuery(route) {
    for (const input of route.inputs || []) {
      if (input.in === 'body') continue;
      const bad = { integer: 'x', enum: 'not-a-choice', boolean: 'maybe', string: 'a%00b' }[input.type];
      if (bad) return { name: input.name, query: `${encodeURIComponent(input.name)}=${bad}` };
    }
    return null;
  }

  const liveOps = (opsLoad.value || []).filter((o) => o.method === 'GET');
  for (const o of liveOps) {
    test(`${o.label}: answers a documented success, with ids 1 and each documented enum value`, async () => {
      for (const p of successCalls(o)) {
        const res = await live().get(p);
        assert.ok(res.status >= 200 && res.status < 300, `GET ${p} did not succeed: ${live().describe(res)}`);
        const key = assertDocumented(`GET ${p}`, o.op.responses, res);
        note(`${o.op.operationId}: GET ${p} → ${res.status} ${mediaTypeOf(res)} valid against response ${key}`);
      }
    });

    if (templateParams(o.path).length && o.op.responses?.['404']) {
      test(`${o.label}: an absent id (${ABSENT_ID}) and a non-numeric id answer the documented 404`, async () => {
        for (const p of [fill(o.path, ABSENT_ID), fill(o.path, 'abc')]) {
          const res = await live().get(p);
          assertDocumented(`GET ${p}`, o.op.responses, res, 404);
          note(`${o.op.operationId}: GET ${p} → 404 valid`);
        }
      });
    }

    if (o.op.responses?.['400']) {
      test(`${o.label}: a malformed query (%ZZ) answers the documented 400`, async () => {
        const p = withQuery(fill(o.path, 1), 'x=%ZZ');
        const res = await live().get(p);
        assertDocumented(`GET ${p}`, o.op.responses, res, 400);
        note(`${o.op.operationId}: GET ${p} → 400 valid`);
      });
    }

    const route = (routesLoad.value || []).find((r) => r.method === 'GET' && normPath(r.path) === o.norm);
    const bad = route && invalidQuery(route);
    if (bad) {
      test(`${o.label}: an invalid ${bad.name} answers the documented 422`, async () => {
        const p = withQuery(fill(o.path, 1), bad.query);
        const res = await live().get(p);
        assertDocumented(`GET ${p}`, o.op.responses, res, 422);
        assert.ok(res.json?.errors?.[bad.name], `GET ${p}: errors.${bad.name} is missing: ${live().describe(res)}`);
        note(`${o.op.operationId}: GET ${p} → 422 valid`);
      });
    }
  }
  if (!liveOps.some((o) => (routesLoad.value || []).some((r) => r.method === 'GET' && normPath(r.path) === o.norm && invalidQuery(r)))) {
    note('422: no documented GET route declares a query input yet, so no 422 is called');
  }

  // Each documented path called with a method it does not document answers 405 as
  // components/responses/MethodNotAllowed says, with Allow listing exactly the documented methods.
  for (const p of Object.keys(docLoad.value?.paths || {})) {
    const documented = (opsLoad.value || []).filter((o) => o.path === p).map((o) => o.method);
    const method = ['DELETE', 'PUT', 'PATCH', 'POST'].find((m) => !documented.includes(m));
    if (!method) continue;
    test(`${method} ${p} answers 405 as components/responses/MethodNotAllowed, Allow listing the documented methods`, async () => {
      const url = fill(p, 1);
      const res = await live().request(url, { method, headers: method === 'GET' ? {} : { 'Content-Length': '0' } });
      assertDocumented(`${method} ${url}`, { 405: { $ref: '#/components/responses/MethodNotAllowed' } }, res, 405);
      const allow = String(res.headers.allow || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
      const expected = [...documented, ...(documented.includes('GET') ? ['HEAD'] : [])].sort();
      assert.deepEqual(allow, expected, `${method} ${url}: Allow is "${res.headers.allow}"`);
      note(`${method} ${url} → 405 valid, Allow: ${res.headers.allow}`);
    });
  }

  test('an unknown /api/v1/ path answers 404 as components/responses/NotFound', async () => {
    const res = await live().get('/api/v1/no-such-thing');
    assertDocumented('GET /api/v1/no-such-thing', { 404: { $ref: '#/components/responses/NotFound' } }, res, 404);
  });
}

await run();
