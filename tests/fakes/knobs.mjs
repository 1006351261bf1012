// Failure knobs for the test fakes (smtp-sink.mjs, kakao-fake.mjs): named switches a test turns
// on for the next N uses or until reset. A knob value, in JS or in the JSON of a /config call:
//   true                    on until reset (or until turned off)
//   N (a positive integer)  on for the next N uses, then off by itself
//   { times: N, …params }   on for N uses (no `times`: until reset) with parameters, e.g.
//                           { times: 1, code: 451 }
//   false | null | 0        off
// take(name) uses a knob once: it answers the knob's parameters (an object) and counts one use,
// or null when the knob is off. peek(name) looks without using.

export class Knobs {
  constructor(names) {
    this.names = new Set(names);
    this.on = new Map();
  }

  // Sets the knobs named in `values` (others keep their state). Throws on an unknown name or a
  // value that is none of the above, before changing anything.
  set(values) {
    const parsed = Object.entries(values || {}).map(([name, v]) => {
      if (!this.names.has(name)) throw new Error(`unknown knob "${name}" (known: ${[...this.names].join(', ')})`);
      return [name, normalize(name, v)];
    });
    for (const [name, k] of parsed) {
      if (k) this.on.set(name, k);
      else this.on.delete(name);
    }
  }

  peek(name) {
    return this.on.get(name) || null;
  }

  take(name) {
    const k = this.on.get(name);
    if (!k) return null;
    k.used++;
    if (k.times !== null && --k.times <= 0) this.on.delete(name);
    return k;
  }

  reset() {
    this.on.clear();
  }

  // The knobs that are on, for GET /config: { name: { times (null = until reset), used, …params } }.
  state() {
    return Object.fromEntries([...this.on].map(([name, k]) => [name, { ...k }]));
  }
}

function normalize(name, v) {
  if (v === false || v === null || v === undefined || v === 0) return null;
  if (v === true) return { times: null, used: 0 };
  if (typeof v === 'number') return { times: count(name, v), used: 0 };
  if (typeof v === 'object' && !Array.isArray(v)) {
    const { times, ...params } = v;
    return { ...params, times: times === undefined || times === null ? null : count(name, times), used: 0 };
  }
  throw new Error(`knob "${name}": expected true, false, a count or an object, got ${JSON.stringify(v)}`);
}

function count(name, n) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`knob "${name}": times must be a positive integer, got ${n}`);
  return n;
}
