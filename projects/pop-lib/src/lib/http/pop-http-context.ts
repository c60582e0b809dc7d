import { HttpContextToken } from '@angular/common/http';

/**
 * Set on requests the library makes for itself (JWKS fetches). The ClientJWT interceptor
 * lets such requests pass untouched: wrapping them would need the very key they fetch.
 */
export const POP_BYPASS = new HttpContextToken<boolean>(() => false);
