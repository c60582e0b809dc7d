import { inject, InjectionToken, Injector, runInInjectionContext } from '@angular/core';
import { isPopError, PopError } from '../errors/pop-error';
import type * as KeySetupModule from './key-setup';

/** The key set-up code: key resolution, JWKS fetching, key import, JWE encryption, HMAC key creation. */
export type KeySetup = typeof KeySetupModule;

let loading: Promise<KeySetup> | undefined;
let loaded: KeySetup | undefined;

/**
 * Loads the key set-up code with `import()`, once. Apps pay for it in a chunk the browser
 * loads when a key is first set up (or a `secureField` appears), not in their initial bundle;
 * a page that finds its HMAC key stored never loads it. A failed load (offline, or a new
 * deployment removed the old chunk) is `load_failed` and is not kept: the next call tries again.
 */
export function loadKeySetup(): Promise<KeySetup> {
  loading ??= import('./key-setup').then(
    (setup) => (loaded = setup),
    (cause: unknown) => {
      loading = undefined;
      throw loadFailed(cause);
    },
  );
  return loading;
}

/** How the library's services get the key set-up code; tests replace it to make loading fail. */
export interface KeySetupLoader {
  /** The code if it is loaded already (then no await is needed), else undefined. */
  loaded(): KeySetup | undefined;
  load(): Promise<KeySetup>;
}

export const KEY_SETUP_LOADER = new InjectionToken<KeySetupLoader>('KEY_SETUP_LOADER', {
  providedIn: 'root',
  factory: () => ({ loaded: () => loaded, load: loadKeySetup }),
});

/**
 * An object made from the key set-up code when first needed, in the injection context of the
 * service that holds it (so it can `inject()` its dependencies). Once the code is loaded,
 * `current` has it at once, for synchronous callers and a fast path without an await hop.
 */
export class LazyPart<T> {
  private instance?: T;
  private loading?: Promise<T>;
  private readonly injector = inject(Injector);
  private readonly loader = inject(KEY_SETUP_LOADER);

  /** Call in an injection context (a service's field initialiser). */
  constructor(private readonly create: (setup: KeySetup) => T) {}

  /** The object, when the key set-up code is loaded; undefined before. */
  get current(): T | undefined {
    if (this.instance === undefined) {
      const setup = this.loader.loaded();
      if (setup) this.instance = this.make(setup);
    }
    return this.instance;
  }

  load(): Promise<T> {
    const ready = this.current;
    if (ready !== undefined) return Promise.resolve(ready);
    this.loading ??= this.loader
      .load()
      .then(
        (setup) => (this.instance ??= this.make(setup)),
        (cause: unknown) => {
          throw loadFailed(cause);
        },
      )
      .catch((error: unknown) => {
        // Not kept, whether the code failed to load or the part failed to be made: the next call tries again.
        this.loading = undefined;
        throw error;
      });
    return this.loading;
  }

  /** `use(part)`: at once when the code is loaded (no extra await hop), after loading it otherwise. */
  run<R>(use: (part: T) => Promise<R>): Promise<R> {
    const ready = this.current;
    return ready !== undefined ? use(ready) : this.load().then(use);
  }

  private make(setup: KeySetup): T {
    return runInInjectionContext(this.injector, () => this.create(setup));
  }
}

function loadFailed(cause: unknown): PopError {
  if (isPopError(cause)) return cause;
  return new PopError(
    'load_failed',
    'The key set-up code of pop-lib (loaded on first use) could not be loaded: the network failed, or a new deployment replaced it (reload the page).',
    { cause },
  );
}
