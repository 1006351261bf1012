// A small JSON Schema validator for the subset docs/openapi.json uses (OpenAPI 3.1 = JSON Schema
// 2020-12), with no dependencies. validate(schema, value, { root }) returns a list of error
// strings, each starting with the JSON path of the offending value ("$.items[2].name: …"); an
// empty list means valid.
//
// Assertions: type (a name or a list; "integer", "number", "string", "boolean", "object",
// "array", "null"), enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// multipleOf (a decimal step such as 0.1, checked to within rounding), minLength, maxLength (in code points), pattern (unicode regex, unanchored as the spec says),
// items, minItems, maxItems, properties, required, additionalProperties (false or a schema),
// allOf, anyOf, oneOf, and $ref to a JSON pointer inside root ("#/components/schemas/X"), whose
// sibling keywords apply too. Annotations (description, example, format, …) are ignored.
// Any other keyword is an error, never silently ignored: a schema the validator cannot check
// must not pass for valid.
import { isDeepStrictEqual } from 'node:util';

export const ASSERTIONS = new Set([
  '$ref', 'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'items', 'minItems', 'maxItems', 'properties', 'required',
  'additionalProperties', 'allOf', 'anyOf', 'oneOf',
]);
export const ANNOTATIONS = new Set([
  'title', 'description', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly',
  'format', 'contentMediaType', 'contentEncoding', '$comment', 'externalDocs',
]);
const TYPES = new Set(['integer', 'number', 'string', 'boolean', 'object', 'array', 'null']);
const MAX_DEPTH = 64;

export const deepEqual = (a, b) => isDeepStrictEqual(a, b);

// The value at a local JSON pointer ("#/components/schemas/Category") in root; throws when the
// pointer is not local or leads nowhere.
export function resolvePointer(root, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#')) throw new Error(`$ref ${JSON.stringify(ref)} is not a local pointer`);
  const pointer = decodeURIComponent(ref.slice(1));
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) throw new Error(`$ref ${JSON.stringify(ref)} is not a JSON pointer`);
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) {
      throw new Error(`$ref ${ref} does not resolve (no "${key}")`);
    }
    node = node[key];
  }
  return node;
}

export function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object (undefined and functions never come from JSON)
}

function typeMatches(type, v) {
  const t = typeOf(v);
  return type === t || (type === 'number' && t === 'integer');
}

export function pathOf(base, key) {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function show(v) {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 60) + '…' : s;
}

const regexCache = new Map();
function regex(p) {
  if (!regexCache.has(p)) regexCache.set(p, new RegExp(p, 'u'));
  return regexCache.get(p);
}

// Validates value against schema; root is the document $ref pointers resolve in.
export function validate(schema, value, { root = schema, path = '$' } = {}) {
  const errors = [];
  check(schema, value, path, root, errors, 0);
  return errors;
}

function check(schema, v, path, root, errors, depth) {
  if (depth > MAX_DEPTH) {
    errors.push(`${path}: schema nesting deeper than ${MAX_DEPTH} (a $ref cycle?)`);
    return;
  }
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: no value is allowed here`);
    return;
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    errors.push(`${path}: the schema is not an object or boolean: ${show(schema)}`);
    return;
  }
  for (const k of Object.keys(schema)) {
    if (!ASSERTIONS.has(k) && !ANNOTATIONS.has(k) && !k.startsWith('x-')) {
      errors.push(`${path}: unsupported schema keyword "${k}"`);
    }
  }

  if ('$ref' in schema) {
    let target;
    try {
      target = resolvePointer(root, schema.$ref);
    } catch (err) {
      errors.push(`${path}: ${err.message}`);
      return;
    }
    check(target, v, path, root, errors, depth + 1);
  }

  if ('type' in schema) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const bad = types.filter((t) => !TYPES.has(t));
    if (bad.length) errors.push(`${path}: unknown type ${show(bad)} in the schema`);
    if (!types.some((t) => typeMatches(t, v))) {
      errors.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(v)} ${show(v)}`);
      return; // the other keywords would only repeat the type error
    }
  }
  if ('enum' in schema && !(schema.enum || []).some((e) => deepEqual(e, v))) {
    errors.push(`${path}: ${show(v)} is not one of ${show(schema.enum)}`);
  }
  if ('const' in schema && !deepEqual(schema.const, v)) {
    errors.push(`${path}: expected ${show(schema.const)}, got ${show(v)}`);
  }

  if (typeof v === 'number') {
    if ('minimum' in schema && v < schema.minimum) errors.push(`${path}: ${v} is less than the minimum ${schema.minimum}`);
    if ('maximum' in schema && v > schema.maximum) errors.push(`${path}: ${v} is more than the maximum ${schema.maximum}`);
    if ('exclusiveMinimum' in schema && v <= schema.exclusiveMinimum) errors.push(`${path}: ${v} is not more than ${schema.exclusiveMinimum}`);
    if ('exclusiveMaximum' in schema && v >= schema.exclusiveMaximum) errors.push(`${path}: ${v} is not less than ${schema.exclusiveMaximum}`);
    if ('multipleOf' in schema && Math.abs(Math.round(v / schema.multipleOf) * schema.multipleOf - v) > 1e-9) {
      errors.push(`${path}: ${v} is not a multiple of ${schema.multipleOf}`);
    }
  }

  if (typeof v === 'string') {
    const len = [...v].length;
    if ('minLength' in schema && len < schema.minLength) errors.push(`${path}: ${len} characters, fewer than minLength ${schema.minLength}`);
    if ('maxLength' in schema && len > schema.maxLength) errors.push(`${path}: ${len} characters, more than maxLength ${schema.maxLength}`);
    if ('pattern' in schema) {
      let re;
      try {
        re = regex(schema.pattern);
      } catch (err) {
        errors.push(`${path}: bad pattern in the schema: ${err.message}`);
      }
      if (re && !re.test(v)) errors.push(`${path}: ${show(v)} does not match /${schema.pattern}/`);
    }
  }

  if (Array.isArray(v)) {
    if ('minItems' in schema && v.length < schema.minItems) errors.push(`${path}: ${v.length} items, fewer than minItems ${schema.minItems}`);
    if ('maxItems' in schema && v.length > schema.maxItems) errors.push(`${path}: ${v.length} items, more than maxItems ${schema.maxItems}`);
    if ('items' in schema) v.forEach((item, i) => check(schema.items, item, pathOf(path, i), root, errors, depth + 1));
  }

  if (typeOf(v) === 'object') {
    const props = schema.properties || {};
    for (const name of schema.required || []) {
      if (!Object.prototype.hasOwnProperty.call(v, name)) errors.push(`${path}: required property "${name}" is missing`);
    }
    for (const [k, val] of Object.entries(v)) {
      if (Object.prototype.hasOwnProperty.call(props, k)) {
        check(props[k], val, pathOf(path, k), root, errors, depth + 1);
      } else if (schema.additionalProperties === false) {
        errors.push(`${pathOf(path, k)}: property not allowed here`);
      } else if ('additionalProperties' in schema && schema.additionalProperties !== true) {
        check(schema.additionalProperties, val, pathOf(path, k), root, errors, depth + 1);
      }
    }
  }

  if ('allOf' in schema) {
    for (const sub of schema.allOf) check(sub, v, path, root, errors, depth + 1);
  }
  if ('anyOf' in schema) {
    const results = schema.anyOf.map((sub) => validate(sub, v, { root, path }));
    if (!results.some((r) => r.length === 0)) {
      errors.push(`${path}: matches none of anyOf (${results.map((r, i) => `#${i}: ${r[0]}`).join('; ')})`);
    }
  }
  if ('oneOf' in schema) {
    const results = schema.oneOf.map((sub) => validate(sub, v, { root, path }));
    const matched = results.map((r, i) => (r.length === 0 ? i : -1)).filter((i) => i >= 0);
    if (matched.length === 0) {
      errors.push(`${path}: matches none of oneOf (${results.map((r, i) => `#${i}: ${r[0]}`).join('; ')})`);
    } else if (matched.length > 1) {
      errors.push(`${path}: matches more than one of oneOf (#${matched.join(', #')})`);
    }
  }
}

// Problems in a schema itself, without an instance: keywords the validator does not know,
// $refs that do not resolve, patterns that do not compile, unknown type names, and `example`
// values that do not validate against their own schema. Walks every subschema.
export function schemaProblems(schema, { root = schema, path = '#' } = {}) {
  const problems = [];
  const seen = new Set();
  const walk = (s, p) => {
    if (typeof s === 'boolean') return;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      problems.push(`${p}: not a schema: ${show(s)}`);
      return;
    }
    if (seen.has(s)) return;
    seen.add(s);
    for (const k of Object.keys(s)) {
      if (!ASSERTIONS.has(k) && !ANNOTATIONS.has(k) && !k.startsWith('x-')) problems.push(`${p}: unsupported schema keyword "${k}"`);
    }
    if ('$ref' in s) {
      try {
        resolvePointer(root, s.$ref);
      } catch (err) {
        problems.push(`${p}: ${err.message}`);
      }
    }
    if ('type' in s) {
      for (const t of Array.isArray(s.type) ? s.type : [s.type]) if (!TYPES.has(t)) problems.push(`${p}: unknown type ${show(t)}`);
    }
    if ('pattern' in s) {
      try {
        regex(s.pattern);
      } catch (err) {
        problems.push(`${p}: bad pattern: ${err.message}`);
      }
    }
    if ('required' in s && !(Array.isArray(s.required) && s.required.every((r) => typeof r === 'string'))) {
      problems.push(`${p}: required is not a list of names`);
    }
    if ('enum' in s && !Array.isArray(s.enum)) problems.push(`${p}: enum is not a list`);
    for (const k of ['allOf', 'anyOf', 'oneOf']) {
      if (k in s) {
        if (!Array.isArray(s[k]) || s[k].length === 0) problems.push(`${p}: ${k} is not a non-empty list`);
        else s[k].forEach((sub, i) => walk(sub, `${p}/${k}/${i}`));
      }
    }
    if ('items' in s) walk(s.items, `${p}/items`);
    if ('additionalProperties' in s) walk(s.additionalProperties, `${p}/additionalProperties`);
    for (const [name, sub] of Object.entries(s.properties || {})) walk(sub, `${p}/properties/${name}`);
    if ('example' in s) {
      for (const e of validate(s, s.example, { root, path: '$' })) problems.push(`${p}/example: ${e}`);
    }
  };
  walk(schema, path);
  return problems;
}
