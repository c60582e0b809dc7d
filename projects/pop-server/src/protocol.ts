/**
 * The wire protocol's shared module (names, algorithms, limits, kid syntax, htu rules, error
 * codes), the same source the browser library compiles in. This file is the server's one
 * reference to it, so no protocol constant is written twice.
 */
export * from '../../pop-lib/src/protocol/index.ts';
