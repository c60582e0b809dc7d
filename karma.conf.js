// One Karma configuration for every project in the workspace (the library's and the
// showcase's specs). Chromium comes from Debian: CHROME_BIN overrides the default path.
// scripts/require-browser.mjs stops `npm test` early, with advice, when no browser exists.
process.env.CHROME_BIN = process.env.CHROME_BIN || '/usr/bin/chromium';

// Flags needed to run Chromium headless as root on a machine without a network or GPU;
// shared with the end-to-end tests.
const CHROMIUM_FLAGS = require('./scripts/chromium-flags.json');

/** Prints "N passed, N failed, N skipped" alone on a line, so CI can read the result. */
function SummaryReporter(baseReporterDecorator) {
  baseReporterDecorator(this);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  this.onSpecComplete = (_browser, result) => {
    if (result.skipped || result.pending) skipped++;
    else if (result.success) passed++;
    else failed++;
  };
  this.onRunComplete = () => {
    this.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  };
}
SummaryReporter.$inject = ['baseReporterDecorator'];

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [
      require('karma-jasmine'),
      require('karma-chrome-launcher'),
      require('karma-jasmine-html-reporter'),
      { 'reporter:summary': ['type', SummaryReporter] },
    ],
    client: {
      jasmine: {
        random: true,
        // A skipped or focused spec must not pass silently.
        failSpecWithNoExpectations: true,
      },
      clearContext: false,
    },
    reporters: ['dots', 'summary'],
    browsers: ['ChromiumHeadlessCI'],
    customLaunchers: {
      ChromiumHeadlessCI: {
        base: 'ChromeHeadless',
        flags: CHROMIUM_FLAGS,
      },
    },
    browserNoActivityTimeout: 60000,
    captureTimeout: 60000,
    singleRun: true,
    restartOnFileChange: true,
  });
};
