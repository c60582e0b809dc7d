// `npm start`: the showcase backend (oidc-provider at /idp, pop-server bank at /api; 127.0.0.1:4300)
// and `ng serve showcase` (127.0.0.1:4200, proxying /idp and /api to the backend) together.
// The browser only ever sees the dev server's origin, which is the provider's issuer.
// Other ports: WEB_PORT=4201 PORT=4301 npm start. Ctrl-C (or SIGTERM) stops both; if either
// exits, the other is stopped too.
import { spawn } from 'node:child_process';

const host = '127.0.0.1';
const backendPort = process.env.PORT ?? '4300';
const webPort = process.env.WEB_PORT ?? '4200';
const backend = `http://${host}:${backendPort}`;
// ng serve would take PORT (the backend's) over --port.
const { PORT: _backendPort, ...webEnv } = process.env;

const children = [
  spawn(process.execPath, ['projects/showcase-server/src/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, HOST: host, PORT: backendPort, PUBLIC_ORIGIN: `http://${host}:${webPort}` },
  }),
  // The CLI itself, not through npx, so the signals below reach it.
  spawn(process.execPath, ['node_modules/@angular/cli/bin/ng.js', 'serve', 'showcase', '--host', host, '--port', webPort], {
    stdio: 'inherit',
    env: { ...webEnv, SHOWCASE_BACKEND: backend },
  }),
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
