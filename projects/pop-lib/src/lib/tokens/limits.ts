/** Largest token, or Authorization header value, the library parses (protocol section 5). */
export const MAX_TOKEN_LENGTH = 16 * 1024;
