// Running a test fake (smtp-sink.mjs, kakao-fake.mjs) as its own process, both sides:
//   serve(start, options, toStartOptions)  the fake's CLI: parses --port/--host/--exit-with-stdin
//                                          and the fake's own options, starts it, prints
//                                          "control <port>" (when it has one) then
//                                          "listening <port>" on stdout, closes on SIGTERM/SIGINT
//                                          (exit 0), and with --exit-with-stdin also when its
//                                          stdin ends, so a parent that dies takes it along.
//   launch(script, args)                   the test's side: spawns `node script --exit-with-stdin
//                                          …args`, waits for "listening", resolves { port,
//                                          controlPort, pid, child, output, stop() }.
// From a shell, without launch() (and without --exit-with-stdin: a background job's stdin is
// /dev/null, which ends at once):
//   node tests/fakes/kakao-fake.mjs --port 0 --redirect-uri … > "$dir/kakao.out" & pid=$!
//   until grep -q '^listening ' "$dir/kakao.out"; do sleep 0.1; done
//   port=$(sed -n 's/^listening //p' "$dir/kakao.out");  …;  kill $pid; wait $pid  (exits 0)
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import readline from 'node:readline';

// Resolves once server listens on host:port (0 = any free port); rejects on e.g. EADDRINUSE.
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function serve(start, options, toStartOptions) {
  let fake;
  try {
    const { values } = parseArgs({
      options: { ...options, port: { type: 'string' }, host: { type: 'string' }, 'exit-with-stdin': { type: 'boolean' } },
      strict: true,
    });
    const int = (flag) => {
      if (!/^\d{1,15}$/.test(values[flag])) throw new Error(`--${flag}: expected a whole number, got "${values[flag]}"`);
      return Number(values[flag]);
    };
    fake = await start({
      ...toStartOptions(values, int),
      port: values.port === undefined ? 0 : int('port'),
      host: values.host ?? '127.0.0.1',
    });
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await fake.close();
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (values['exit-with-stdin']) {
      process.stdin.on('end', stop);
      process.stdin.on('close', stop);
      process.stdin.resume();
    }
  } catch (err) {
    console.error(`${process.argv[1]}: ${err.message}`);
    process.exit(2);
  }
  if (fake.controlPort !== null && fake.controlPort !== undefined) console.log(`control ${fake.controlPort}`);
  console.log(`listening ${fake.port}`);
}

export function launch(script, args = [], { timeout = 10000 } = {}) {
  const child = spawn(process.execPath, [script, '--exit-with-stdin', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stderr.on('data', (c) => output.push(String(c)));
  return new Promise((resolve, reject) => {
    let controlPort = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not print "listening <port>" within ${timeout} ms: ${output.join('')}`));
    }, timeout);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before listening: ${output.join('')}`));
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line + '\n');
      const m = /^(control|listening) (\d+)$/.exec(line);
      if (m && m[1] === 'control') controlPort = Number(m[2]);
      if (m && m[1] === 'listening') {
        clearTimeout(timer);
        resolve({
          port: Number(m[2]),
          controlPort,
          pid: child.pid,
          child,
          output,
          exited,
          // SIGTERM, then waits for the exit; resolves { code, signal } (code 0 = closed cleanly)
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
  });
}
