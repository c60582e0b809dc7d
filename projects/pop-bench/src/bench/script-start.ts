/**
 * When the app's own script started (ms since navigation start). Imported first by main.ts, so
 * it is read before Angular or any page code runs.
 */
export const SCRIPT_START_MS = performance.now();
