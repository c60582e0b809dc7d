// `npm start`: the showcase backend (mock IdP + pop-server bank, 127.0.0.1:4300) and
// `ng serve showcase` (127.0.0.1:4200, proxying /api and /idp to the backend) together.
// Ctrl-C (or SIGTERM) stops both; if either exits, the other is stopped too.
import { spawn } from 'node:child_process';

const backendPort = process.env.PORT ?? '4300';
const children = [
  spawn(process.execPath, ['projects/showcase-server/src/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: backendPort },
  }),
  spawn('npx', ['ng', 'serve', 'showcase', '--host', '127.0.0.1', '--port', '4200'], { stdio: 'inherit' }),
];

let stopping = false;
function stop(signal, code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  // Give both a moment to close, then leave with the first failure's code.
  setTimeout(() => process.exit(code), 3000).unref();
}

for (const child of children) {
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`start: ${child.spawnargs.slice(0, 3).join(' ')} exited (${signal ?? code}); stopping the other`);
    stop('SIGTERM', code ?? 1);
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
  });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal, 0));
