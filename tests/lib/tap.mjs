// A tiny TAP harness for the Node test suites (integration and browser): register tests with
// test(name, fn), then await run(). Prints `ok N - name` / `not ok N - name` and `1..N`;
// ci/test counts those lines across every suite. Exits 1 when anything failed.
import assert from 'node:assert/strict';

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

export async function run() {
  let n = 0;
  let failed = 0;
  for (const t of tests) {
    n++;
    try {
      await t.fn();
      console.log(`ok ${n} - ${t.name}`);
    } catch (err) {
      failed++;
      console.log(`not ok ${n} - ${t.name}`);
      for (const line of String(err && err.stack ? err.stack : err).split('\n').slice(0, 12)) {
        console.log(`# ${line}`);
      }
    }
  }
  console.log(`1..${n}`);
  process.exitCode = failed ? 1 : 0;
}

export { assert };
