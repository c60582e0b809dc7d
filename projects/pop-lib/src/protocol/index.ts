/**
 * The pop-lib wire protocol (docs/protocol.md): names, algorithms, limits, syntax rules and
 * error codes that the browser library (pop-lib) and the server package (pop-lib-server)
 * share. Both compile this module in, and it is the only place a protocol constant is
 * written. Plain TypeScript without DOM, Node or library dependencies, so both builds can use it.
 */
export * from './client-jwt.ts';
export * from './hmac-key.ts';
export * from './htu.ts';
export * from './kid.ts';
export * from './limits.ts';
export * from './secret-jwe.ts';
export * from './wire-errors.ts';
