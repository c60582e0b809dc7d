import {
  booleanAttribute,
  ChangeDetectorRef,
  Directive,
  ElementRef,
  forwardRef,
  inject,
  Injector,
  input,
  OnChanges,
  OnDestroy,
  PLATFORM_ID,
  Renderer2,
  SimpleChanges,
} from '@angular/core';
import {
  AbstractControl,
  AsyncValidator,
  ControlValueAccessor,
  FormControl,
  NG_ASYNC_VALIDATORS,
  NG_VALIDATORS,
  NG_VALUE_ACCESSOR,
  NgControl,
  ValidationErrors,
  Validator,
  ValidatorFn,
  Validators,
} from '@angular/forms';
import { isPlatformBrowser } from '@angular/common';
import { filter, map, Observable, of, Subject, take } from 'rxjs';
import { CredentialEncryptionService } from '../credentials/credential-encryption.service';
import { isPopError, type PopError } from '../errors/pop-error';
import { KEY_SETUP_LOADER } from '../key-setup/load-key-setup';
import type { PopErrorCode } from '../errors/pop-error-code';
import { POP_CLOCK } from '../keys/pop-clock';
import type { OAuthToken } from '../tokens/access-token';
import { ResolvedSecureFieldOptions, SECURE_FIELD_OPTIONS, SecureFieldOptions, validateSecureFieldOptions } from './secure-field-options';
import { SECURE_FIELD_TIMER } from './secure-field-timer';

/** What a `secureField` control's `errors.secureField` holds when it cannot carry a JWE. */
export interface SecureFieldError {
  code: PopErrorCode;
  message: string;
}

/** The field holds a JWE of the input's text. */
interface EncryptedState {
  kind: 'encrypted';
  jwe: string;
  /** `POP_CLOCK` when its encryption began: its `iat` is no earlier, so its age is at most now minus this. */
  startedAt: number;
  /** Sent with a valid submit: the server accepts its `jti` once. */
  spent: boolean;
}

/** Where the field is; the control's value follows from it (see `matches`). */
type FieldState =
  | { kind: 'empty' }
  | { kind: 'invalid'; errors: ValidationErrors }
  | { kind: 'encrypting'; generation: number }
  | EncryptedState
  | { kind: 'failed'; error: SecureFieldError }
  | { kind: 'foreign' };

/**
 * Encrypts what the user types into a form field as a compact JWE for the target server's key
 * (protocol section 2). Works with `formControlName`, `[formControl]` and `ngModel`:
 *
 * - the control's value (so `form.value` and the submitted body) is only ever the JWE, or
 *   `null` while the field is empty, invalid or being encrypted — never the plaintext;
 * - `secureFieldValidators` (required, minLength, pattern, …) see the plaintext; their errors
 *   land on the control, with any copy of the plaintext removed;
 * - while encrypting the control is `PENDING`; when the key cannot be found or encryption
 *   fails it is `INVALID` with `{ secureField: { code, message } }`;
 * - only the JWE of the latest plaintext is kept: slower, older results are dropped;
 * - a value written from the model is never shown in the input; anything but `null`/`''`
 *   (reset) or the directive's own JWE makes the control invalid (`secret_not_encrypted`);
 * - the JWE stays fresh: at the refresh age (`provideSecureField({ refreshAfterSeconds })`,
 *   default 240 s), and whenever a check finds it older (the input gets focus, the page
 *   becomes visible, the form is submitted, the control is validated), the input's current
 *   text is encrypted again with a new `iat` and `jti` (`PENDING` with `null` meanwhile), so a
 *   form filled in now and sent much later still carries a JWE the server accepts;
 * - a JWE sent with a valid submit is spent (the server accepts each `jti` once): with the
 *   text still in the input it is re-encrypted at once; after the default wipe there is no
 *   text, so at the next check the control becomes empty (`null`) and the user types again;
 * - after the form is submitted while valid, the plaintext is wiped from the input. Opt out
 *   with `secureFieldClearOnSubmit="false"`.
 *
 * Needs the control's `updateOn: 'change'` (the default): with `'blur'`/`'submit'` the
 * control is invalid with `config_invalid`.
 */
@Directive({
  selector: '[secureField]',
  exportAs: 'secureField',
  providers: [
    { provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => SecureFieldDirective), multi: true },
    { provide: NG_VALIDATORS, useFactory: () => inject(SecureFieldDirective).plaintextValidator, multi: true },
    { provide: NG_ASYNC_VALIDATORS, useFactory: () => inject(SecureFieldDirective).encryptionValidator, multi: true },
  ],
  host: {
    '(input)': 'onInput()',
    '(blur)': 'onTouched()',
    '(focus)': 'refreshIfStale()',
    '(document:visibilitychange)': 'refreshIfStale()',
    '(document:submit)': 'onSubmit($event)',
  },
})
export class SecureFieldDirective implements ControlValueAccessor, OnChanges, OnDestroy {
  private readonly options = readOptions(inject(SECURE_FIELD_OPTIONS, { optional: true }));

  /** URL the secret is for (its resource server's key is used). Default: `provideSecureField({ target })`. */
  readonly secureField = input<string>('');
  /** Validators that must see the plaintext (required, minLength, pattern, …). */
  readonly secureFieldValidators = input<ValidatorFn | readonly ValidatorFn[] | null>(null);
  /** The token to read key hints from. Default: the configured token provider's. */
  readonly secureFieldToken = input<OAuthToken | null | undefined>(undefined);
  /** Wipe the plaintext from the input once its form is submitted while valid. */
  readonly secureFieldClearOnSubmit = input(this.options.clearOnSubmit, { transform: booleanAttribute });

  private readonly element = inject<ElementRef<HTMLInputElement | HTMLTextAreaElement>>(ElementRef).nativeElement;
  private readonly renderer = inject(Renderer2);
  private readonly changeDetector = inject(ChangeDetectorRef);
  private readonly injector = inject(Injector);
  private readonly encryption = inject(CredentialEncryptionService);
  private readonly clock = inject(POP_CLOCK);
  private readonly timer = inject(SECURE_FIELD_TIMER);

  private state: FieldState = { kind: 'empty' };
  /** Cancels the pending freshness check, if one is scheduled. */
  private cancelCheck?: () => void;
  /** Removes the capture-phase submit listener. */
  private readonly unlistenSubmit: () => void;
  /** Bumped on every new plaintext or model write; an encryption result of an older one is dropped. */
  private generation = 0;
  private readonly settled = new Subject<number>();
  private onChange: (value: string | null) => void = () => undefined;
  protected onTouched: () => void = () => undefined;

  /** Sync part of the control's validation: plaintext errors, failures, and foreign values. */
  readonly plaintextValidator: Validator = {
    validate: (control) => this.validateNow(control),
  };

  /** Async part: keeps the control `PENDING` until the current plaintext's JWE is ready. */
  readonly encryptionValidator: AsyncValidator = {
    validate: (control) => this.validateWhenSettled(control),
  };

  constructor() {
    // The encryption code is loaded on first use; start as the field appears, so that the
    // first keystroke does not wait for it. (A failure here is reported by the encryption.)
    if (isPlatformBrowser(inject(PLATFORM_ID))) inject(KEY_SETUP_LOADER).load().catch(() => undefined);
    // Capture phase: runs before the form's own submit handlers read the value, so a stale
    // JWE is replaced (the control turns PENDING) rather than sent.
    this.unlistenSubmit = this.renderer.listen('document', 'submit', (event: Event) => this.beforeSubmit(event), { capture: true });
  }

  ngOnChanges(changes: SimpleChanges): void {
    const relevant = ['secureField', 'secureFieldToken', 'secureFieldValidators'];
    // A new target, token or rule set makes the current JWE (or error) stale.
    if (relevant.some((name) => changes[name]?.firstChange === false)) {
      this.process(this.element.value);
    }
  }

  ngOnDestroy(): void {
    this.generation++;
    // Also cancels the freshness check, and makes a refresh queued by a validation a no-op.
    this.setState({ kind: 'empty' });
    this.unlistenSubmit();
    this.settled.complete();
  }

  writeValue(value: unknown): void {
    if (this.state.kind === 'encrypted' && value === this.state.jwe) return;
    this.generation++;
    // Never echo a model value into the input: it is a JWE or, worse, a plaintext.
    this.renderer.setProperty(this.element, 'value', '');
    this.setState(value === null || value === undefined || value === '' ? { kind: 'empty' } : { kind: 'foreign' });
  }

  registerOnChange(fn: (value: string | null) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(isDisabled: boolean): void {
    this.renderer.setProperty(this.element, 'disabled', isDisabled);
  }

  protected onInput(): void {
    this.process(this.element.value);
  }

  /**
   * Re-encrypts the input's current text when the JWE is spent or has reached the refresh
   * age (or the clock went backwards). With no text left (wiped after a submit), the field
   * becomes empty: a JWE is never kept past its refresh age.
   */
  protected refreshIfStale(): void {
    const state = this.state;
    if (state.kind !== 'encrypted' || !this.isStale(state)) return;
    this.process(this.element.value);
    this.changeDetector.markForCheck();
  }

  private beforeSubmit(event: Event): void {
    if (event.target === this.element.form) this.refreshIfStale();
  }

  protected onSubmit(event: Event): void {
    const state = this.state;
    if (event.target !== this.element.form || state.kind !== 'encrypted') return;
    const control = this.injector.get(NgControl, null, { self: true })?.control;
    // Only a submit that can go out spends the JWE and wipes the field; an invalid form keeps both.
    if (control && !control.root.valid) return;
    state.spent = true;
    if (this.secureFieldClearOnSubmit()) {
      this.renderer.setProperty(this.element, 'value', '');
    } else {
      // After this event's handlers have read the value: a new jti for the next submit.
      this.scheduleCheck(0);
    }
  }

  private process(plaintext: string): void {
    const generation = ++this.generation;
    if (plaintext === '') return this.update({ kind: 'empty' }, null);
    const errors = this.plaintextErrors(plaintext);
    if (errors) return this.update({ kind: 'invalid', errors }, null);
    if (this.options.error) {
      return this.update({ kind: 'failed', error: toFieldError(this.options.error) }, null);
    }
    const target = this.secureField() || this.options.target;
    if (!target) {
      const message = 'secureField has no target URL: set secureField="<url>" or provideSecureField({ target }).';
      return this.update({ kind: 'failed', error: { code: 'config_invalid', message } }, null);
    }
    this.update({ kind: 'encrypting', generation }, null);
    const startedAt = this.clock();
    this.encryption.encryptFor(target, plaintext, this.secureFieldToken()).then(
      (jwe) => {
        if (generation !== this.generation) return;
        this.update({ kind: 'encrypted', jwe, startedAt, spent: false }, jwe);
        this.settle(generation);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.setState({ kind: 'failed', error: toFieldError(error) });
        this.settle(generation);
      },
    );
  }

  private update(state: FieldState, value: string | null): void {
    this.setState(state);
    this.onChange(value);
  }

  /** Every state change goes through here: an encrypted state gets its freshness check scheduled. */
  private setState(state: FieldState): void {
    this.state = state;
    this.cancelCheck?.();
    this.cancelCheck = undefined;
    if (state.kind === 'encrypted') this.scheduleCheck(state.startedAt + this.refreshAfterMs() - this.clock());
  }

  private scheduleCheck(delayMs: number): void {
    this.cancelCheck?.();
    this.cancelCheck = this.timer.schedule(() => {
      this.cancelCheck = undefined;
      const state = this.state;
      if (state.kind !== 'encrypted') return;
      if (this.isStale(state)) this.refreshIfStale();
      // Fired early (or the clock was set back and forth): check again when it is due.
      else this.scheduleCheck(state.startedAt + this.refreshAfterMs() - this.clock());
    }, Math.max(0, delayMs));
  }

  private isStale(state: EncryptedState): boolean {
    const age = this.clock() - state.startedAt;
    return state.spent || !(age >= 0 && age < this.refreshAfterMs());
  }

  private refreshAfterMs(): number {
    return this.options.refreshAfterSeconds * 1000;
  }

  private settle(generation: number): void {
    this.settled.next(generation);
    this.changeDetector.markForCheck();
  }

  private validateNow(control: AbstractControl): ValidationErrors | null {
    if (control.updateOn !== 'change') {
      return fieldError('config_invalid', `secureField needs updateOn 'change', not '${control.updateOn}'.`);
    }
    const state = this.state;
    if (state.kind === 'failed') return { secureField: state.error };
    if (state.kind === 'foreign' || !matches(control.value, state)) {
      return fieldError('secret_not_encrypted', 'The control holds a value secureField did not encrypt; only typed input is encrypted.');
    }
    if (state.kind === 'empty') return this.plaintextErrors('');
    return state.kind === 'invalid' ? state.errors : null;
  }

  private validateWhenSettled(control: AbstractControl): Observable<ValidationErrors | null> {
    const state = this.state;
    if (state.kind === 'encrypted' && this.isStale(state)) {
      // Never VALID with a stale JWE: refresh (after this validation run), PENDING until then.
      queueMicrotask(() => this.refreshIfStale());
      return this.settled.pipe(take(1), map(() => this.validateNow(control)));
    }
    if (state.kind !== 'encrypting') return of(null);
    return this.settled.pipe(
      filter((generation) => generation === state.generation),
      take(1),
      map(() => this.validateNow(control)),
    );
  }

  private plaintextErrors(plaintext: string): ValidationErrors | null {
    const validators = this.secureFieldValidators();
    if (!validators) return null;
    const composed = Validators.compose(typeof validators === 'function' ? [validators] : [...validators]);
    const errors = composed?.(new FormControl(plaintext)) ?? null;
    return errors && redact(errors, plaintext);
  }
}

/**
 * The options, checked. Options provided without `provideSecureField` may be bad: then every
 * field reports the error (and nothing is encrypted), with the defaults standing in meanwhile.
 */
function readOptions(options: SecureFieldOptions | null): ResolvedSecureFieldOptions & { error?: PopError } {
  try {
    return validateSecureFieldOptions(options);
  } catch (error) {
    return { ...validateSecureFieldOptions(undefined), error: error as PopError };
  }
}

/** The value the control must hold in `state`. */
function matches(value: unknown, state: FieldState): boolean {
  switch (state.kind) {
    case 'encrypted':
      return value === state.jwe;
    case 'empty':
      return value === null || value === undefined || value === '';
    default:
      return value === null || value === undefined;
  }
}

function fieldError(code: PopErrorCode, message: string): ValidationErrors {
  return { secureField: { code, message } satisfies SecureFieldError };
}

function toFieldError(error: unknown): SecureFieldError {
  if (isPopError(error)) return { code: error.code, message: error.message };
  return { code: 'encryption_failed', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Validators may copy the value into their errors (`pattern` puts it in `actualValue`):
 * drop every member equal to the plaintext, so errors never carry the secret.
 */
function redact(errors: ValidationErrors, plaintext: string): ValidationErrors {
  const clean = (detail: unknown): unknown => {
    if (detail === plaintext) return true;
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return detail;
    return Object.fromEntries(Object.entries(detail).filter(([, member]) => member !== plaintext));
  };
  return Object.fromEntries(Object.entries(errors).map(([key, detail]) => [key, clean(detail)]));
}
