// Fails fast, with advice, when the browser the tests need is missing: better than a
// Karma launcher hanging or a stack trace from deep inside Playwright.
import { accessSync, constants } from 'node:fs';

const bin = process.env.CHROME_BIN || '/usr/bin/chromium';
try {
  accessSync(bin, constants.X_OK);
} catch {
  console.error(
    `No browser found at ${bin}.\n` +
      'The tests run in headless Chromium. Install it (Debian/Ubuntu, as root):\n' +
      '  apt-get update && apt-get install -y chromium\n' +
      'or point CHROME_BIN at an existing Chromium or Chrome binary.',
  );
  process.exit(1);
}
