/**
 * The generated SSR server, listening on loopback only: PORT (0 = any free port), and it
 * prints the address it got so the test can read it.
 */
import { AngularNodeAppEngine, createNodeRequestHandler, isMainModule, writeResponseToNodeResponse } from '@angular/ssr/node';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const browserDistFolder = join(import.meta.dirname, '../browser');

const app = express();
const angularApp = new AngularNodeAppEngine({ allowedHosts: ['127.0.0.1'] });

app.use(express.static(browserDistFolder, { maxAge: '1y', index: false, redirect: false }));

app.use((req, res, next) => {
  angularApp
    .handle(req)
    .then((response) => (response ? writeResponseToNodeResponse(response, res) : next()))
    .catch(next);
});

if (isMainModule(import.meta.url)) {
  const server = app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', (error) => {
    if (error) throw error;
    console.log(`SSR server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
}

export const reqHandler = createNodeRequestHandler(app);
