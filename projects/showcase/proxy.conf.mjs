// ng serve's proxy: the provider (/idp/) and the bank (/api/) live in the showcase backend.
// The Host header is kept (changeOrigin: false), so the backend sees the origin the browser
// uses. Only these prefixes are proxied, so app routes (/sign-in, /api-call) reload fine.
const target = process.env.SHOWCASE_BACKEND ?? 'http://127.0.0.1:4300';

export default {
  '/idp/': { target, secure: false, changeOrigin: false },
  '/api/': { target, secure: false, changeOrigin: false },
};
