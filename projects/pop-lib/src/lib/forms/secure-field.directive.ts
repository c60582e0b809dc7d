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
import { filter, map, Observable, of, Subject, take } from 'rxjs';
import { CredentialEncryptionService } from '../credentials/credential-encryption.service';
import { isPopError } from '../errors/pop-error';
import type { PopErrorCode } from '../errors/pop-error-code';
import type { OAuthToken } from '../tokens/access-token';
import { SECURE_FIELD_OPTIONS } from './secure-field-options';

/** What a `secureField` control's `errors.secureField` holds when it cannot carry a JWE. */
export interface SecureFieldError {
  code: PopErrorCode;
  message: string;
}

/** Where the field is; the control's value follows from it (see `expectedValue`). */
type FieldState =
  | { kind: 'empty' }
  | { kind: 'invalid'; errors: ValidationErrors }
  | { kind: 'encrypting'; generation: number }
  | { kind: 'encrypted'; jwe: string }
  | { kind: 'failed'; error: SecureFieldError }
  | { kind: 'foreign' };

/**
 * Encrypts what the user types into a form field as a compact JWE for the target server's key
 * (seed 001, protocol section 2). Works with `formControlName`, `[formControl]` and `ngModel`:
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
 * - after the form is submitted while valid, the plaintext is wiped from the input (the
 *   control keeps the JWE). Opt out with `secureFieldClearOnSubmit="false"`.
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
    '(document:submit)': 'onSubmit($event)',
  },
})
export class SecureFieldDirective implements ControlValueAccessor, OnChanges, OnDestroy {
  private readonly options = inject(SECURE_FIELD_OPTIONS, { optional: true });

  /** URL the secret is for (its resource server's key is used). Default: `provideSecureField({ target })`. */
  readonly secureField = input<string>('');
  /** Validators that must see the plaintext (required, minLength, pattern, …). */
  readonly secureFieldValidators = input<ValidatorFn | readonly ValidatorFn[] | null>(null);
  /** The token to read key hints from. Default: the configured token provider's. */
  readonly secureFieldToken = input<OAuthToken | null | undefined>(undefined);
  /** Wipe the plaintext from the input once its form is submitted while valid. */
  readonly secureFieldClearOnSubmit = input(this.options?.clearOnSubmit ?? true, { transform: booleanAttribute });

  private readonly element = inject<ElementRef<HTMLInputElement | HTMLTextAreaElement>>(ElementRef).nativeElement;
  private readonly renderer = inject(Renderer2);
  private readonly changeDetector = inject(ChangeDetectorRef);
  private readonly injector = inject(Injector);
  private readonly encryption = inject(CredentialEncryptionService);

  private state: FieldState = { kind: 'empty' };
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

  ngOnChanges(changes: SimpleChanges): void {
    const relevant = ['secureField', 'secureFieldToken', 'secureFieldValidators'];
    // A new target, token or rule set makes the current JWE (or error) stale.
    if (relevant.some((name) => changes[name]?.firstChange === false)) {
      this.process(this.element.value);
    }
  }

  ngOnDestroy(): void {
    this.generation++;
    this.settled.complete();
  }

  writeValue(value: unknown): void {
    if (this.state.kind === 'encrypted' && value === this.state.jwe) return;
    this.generation++;
    // Never echo a model value into the input: it is a JWE or, worse, a plaintext.
    this.renderer.setProperty(this.element, 'value', '');
    this.state = value === null || value === undefined || value === '' ? { kind: 'empty' } : { kind: 'foreign' };
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

  protected onSubmit(event: Event): void {
    if (!this.secureFieldClearOnSubmit() || event.target !== this.element.form || this.state.kind !== 'encrypted') return;
    const control = this.injector.get(NgControl, null, { self: true })?.control;
    // Only a submit that can go out wipes the field; an invalid form keeps what was typed.
    if (control && !control.root.valid) return;
    this.renderer.setProperty(this.element, 'value', '');
  }

  private process(plaintext: string): void {
    const generation = ++this.generation;
    if (plaintext === '') return this.update({ kind: 'empty' }, null);
    const errors = this.plaintextErrors(plaintext);
    if (errors) return this.update({ kind: 'invalid', errors }, null);
    const target = this.secureField() || this.options?.target;
    if (!target) {
      const message = 'secureField has no target URL: set secureField="<url>" or provideSecureField({ target }).';
      return this.update({ kind: 'failed', error: { code: 'config_invalid', message } }, null);
    }
    this.update({ kind: 'encrypting', generation }, null);
    this.encryption.encryptFor(target, plaintext, this.secureFieldToken()).then(
      (jwe) => {
        if (generation !== this.generation) return;
        this.update({ kind: 'encrypted', jwe }, jwe);
        this.settle(generation);
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.state = { kind: 'failed', error: toFieldError(error) };
        this.settle(generation);
      },
    );
  }

  private update(state: FieldState, value: string | null): void {
    this.state = state;
    this.onChange(value);
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
