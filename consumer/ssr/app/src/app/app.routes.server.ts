import { RenderMode, ServerRoute } from '@angular/ssr';

/** Rendered per request on the server, so the API call happens while rendering. */
export const serverRoutes: ServerRoute[] = [{ path: '**', renderMode: RenderMode.Server }];
