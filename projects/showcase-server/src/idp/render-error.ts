/**
 * oidc-provider's error page (shown when an authorization request itself is wrong, e.g. an
 * unregistered redirect_uri, so there is nowhere safe to redirect to).
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
  ctx.type = 'html';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in error · pop-lib showcase</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#17202e}code{background:#eef1f6;padding:.1em .3em;border-radius:4px}</style>
</head><body><main><h1>The identity provider refused the request</h1>
<p><code>${escapeHtml(out.error)}</code>: ${escapeHtml(out.error_description ?? '')}</p>
<p><a href="/">Back to the showcase</a></p></main></body></html>`;
}
