/**
 * Where the library may fetch keys from: https anywhere, plain http only on this machine
 * (127.0.0.0/8, localhost, [::1]) so local development works without certificates.
 */
export function isSecureOrLoopback(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** `hostname` as the URL parser normalises it (IPv4 in dotted decimal, IPv6 in brackets). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** `new URL(url, base)`, or undefined when it does not parse. */
export function tryParseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}
