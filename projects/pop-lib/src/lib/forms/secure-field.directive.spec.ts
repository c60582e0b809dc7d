import { Component, signal, viewChild } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  FormsModule,
  NgForm,
  ReactiveFormsModule,
  Validators,
  type ValidatorFn,
} from '@angular/forms';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { SECRET_JTI_PATTERN } from '../../protocol';
import { settled, type } from '../testing/form-input';
import { serverKeyPair, type ServerKeyPair } from '../testing/server-key-pairs';
import { PopError } from '../errors/pop-error';
import { toEncryptionKey } from '../keys/encryption-key';
import { KeyResolverService, type KeyRequest, type ResolvedKey } from '../keys/key-resolver.service';
import { provideSecureField } from './secure-field-options';
import { SecureFieldDirective } from './secure-field.directive';

const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;

@Component({
  imports: [ReactiveFormsModule, SecureFieldDirective],
  template: `
    <form [formGroup]="form" (ngSubmit)="submitted = form.value">
      <input formControlName="username" />
      <input type="password" formControlName="password" [secureField]="target()" [secureFieldValidators]="validators()" />
      <button type="submit">Log in</button>
    </form>
  `,
})
class ReactiveHost {
  readonly target = signal('https://bank.example/api/login');
  readonly validators = signal<ValidatorFn[]>([]);
  readonly form = new FormGroup({
    username: new FormControl('alice', Validators.required),
    password: new FormControl<string | null>(null),
  });
  submitted?: unknown;
}

@Component({
  imports: [FormsModule, SecureFieldDirective],
  template: `
    <form>
      <input type="password" name="pin" [(ngModel)]="pin" secureField="/api/pin" [secureFieldValidators]="validators" />
    </form>
  `,
})
class TemplateHost {
  pin: string | null = '';
  validators: ValidatorFn[] = [Validators.minLength(4)];
  readonly form = viewChild.required(NgForm);
}

@Component({
  imports: [ReactiveFormsModule, SecureFieldDirective],
  template: `<input type="password" [formControl]="control" secureField />`,
})
class StandaloneHost {
  control = new FormControl<string | null>(null);
}

async function decrypt(jwe: unknown, pair: ServerKeyPair): Promise<string> {
  expect(jwe).toMatch(COMPACT_JWE);
  const { plaintext } = await compactDecrypt(jwe as string, pair.privateKey);
  return new TextDecoder().decode(plaintext);
}

/** The authenticated protected header, as the server reads it after decrypting. */
async function decryptedHeader(jwe: unknown, pair: ServerKeyPair): Promise<Record<string, unknown>> {
  const { protectedHeader } = await compactDecrypt(jwe as string, pair.privateKey);
  return protectedHeader;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('secureField directive', () => {
  let pair: ServerKeyPair;
  let resolvedKey: ResolvedKey;
  let resolve: jasmine.Spy<(request: KeyRequest) => Promise<ResolvedKey>>;

  beforeAll(async () => {
    pair = await serverKeyPair('P-256', 'bank-1');
    resolvedKey = { ...(await toEncryptionKey(pair.publicJwk)), source: 'jwks', baseUrl: 'https://bank.example/api' };
  });

  function setUp(extraProviders: unknown[] = []): void {
    resolve = jasmine.createSpy('resolve').and.callFake(() => Promise.resolve(resolvedKey));
    TestBed.configureTestingModule({
      providers: [{ provide: KeyResolverService, useValue: { resolve } }, ...(extraProviders as [])],
    });
  }

  describe('in a reactive form (formControlName)', () => {
    let fixture: ComponentFixture<ReactiveHost>;
    let host: ReactiveHost;
    let input: HTMLInputElement;
    let password: FormControl<string | null>;

    beforeEach(async () => {
      setUp();
      fixture = TestBed.createComponent(ReactiveHost);
      host = fixture.componentInstance;
      await fixture.whenStable();
      input = (fixture.nativeElement as HTMLElement).querySelector('input[type=password]') as HTMLInputElement;
      password = host.form.controls.password;
    });

    it('is PENDING while encrypting, then VALID with a JWE the server key decrypts to the typed text', async () => {
      type(input, 'wonderland');
      expect(password.status).toBe('PENDING');
      expect(host.form.valid).toBeFalse();
      expect(password.value).toBeNull();

      await settled(password);

      expect(password.status).toBe('VALID');
      expect(host.form.valid).toBeTrue();
      expect(decodeProtectedHeader(password.value as string).kid).toBe('bank-1');
      expect(await decrypt(password.value, pair)).toBe('wonderland');
      const header = await decryptedHeader(password.value, pair);
      expect(header['aud']).toBe('https://bank.example/api/login');
      expect(header['jti']).toMatch(SECRET_JTI_PATTERN);
      expect(Math.abs((header['iat'] as number) - Date.now() / 1000)).toBeLessThan(5);
      expect(JSON.stringify(host.form.value)).not.toContain('wonderland');
      expect(JSON.stringify(host.form.getRawValue())).not.toContain('wonderland');
      expect(resolve).toHaveBeenCalledWith({ url: 'https://bank.example/api/login' });
    });

    it('runs plaintext validators on the plaintext and keeps the value null while they fail', async () => {
      host.validators.set([Validators.required, Validators.minLength(4), Validators.pattern(/^\d+$/)]);
      await fixture.whenStable();

      type(input, '12');
      expect(password.status).toBe('INVALID');
      expect(password.errors?.['minlength']).toEqual({ requiredLength: 4, actualLength: 2 });
      expect(password.value).toBeNull();

      type(input, 'abcd');
      expect(password.errors?.['pattern']).toBeDefined();
      expect(JSON.stringify(password.errors)).not.toContain('abcd');

      type(input, '');
      expect(password.errors?.['required']).toBeTrue();
      expect(resolve).not.toHaveBeenCalled();

      type(input, '4711');
      await settled(password);
      expect(password.valid).toBeTrue();
      expect(await decrypt(password.value, pair)).toBe('4711');
    });

    it('becomes INVALID with the key error code when the key cannot be resolved — no plaintext fallback', async () => {
      resolve.and.callFake(() => Promise.reject(new PopError('key_not_found', 'no key for https://bank.example/api')));
      type(input, 'wonderland');
      expect(password.status).toBe('PENDING');
      await settled(password);
      expect(password.status).toBe('INVALID');
      expect(password.errors).toEqual({ secureField: { code: 'key_not_found', message: 'no key for https://bank.example/api' } });
      expect(password.value).toBeNull();
      expect(host.form.valid).toBeFalse();
    });

    it('reports encryption_failed for a failure that is not a PopError', async () => {
      resolve.and.callFake(() => Promise.reject(new TypeError('boom')));
      type(input, 'wonderland');
      await settled(password);
      expect(password.errors?.['secureField']?.code).toBe('encryption_failed');
    });

    it('keeps only the latest plaintext\'s JWE when an older encryption finishes last', async () => {
      const slow = deferred<ResolvedKey>();
      const fast = deferred<ResolvedKey>();
      resolve.and.returnValues(slow.promise, fast.promise);

      type(input, 'first');
      type(input, 'second');
      fast.resolve(resolvedKey);
      await settled(password);
      slow.resolve(resolvedKey);
      await slow.promise;
      await new Promise((r) => setTimeout(r, 20));

      expect(password.status).toBe('VALID');
      expect(await decrypt(password.value, pair)).toBe('second');
    });

    it('a secret over the size limit → INVALID with secret_too_large, no key fetched', async () => {
      type(input, 'x'.repeat(5000));
      await settled(password);
      expect(password.errors?.['secureField']?.code).toBe('secret_too_large');
      expect(resolve).not.toHaveBeenCalled();
    });

    it('clearing the input empties the value (null) and drops the old JWE', async () => {
      type(input, 'wonderland');
      await settled(password);
      type(input, '');
      expect(password.value).toBeNull();
      expect(password.valid).toBeTrue();
    });

    it('never shows a model value in the input; a value it did not encrypt is invalid', async () => {
      password.setValue('plaintext-from-code');
      expect(input.value).toBe('');
      expect(password.errors?.['secureField']?.code).toBe('secret_not_encrypted');

      type(input, 'wonderland');
      await settled(password);
      password.setValue('x.y.z.w.v', { emitModelToViewChange: false });
      expect(password.errors?.['secureField']?.code).toBe('secret_not_encrypted');
    });

    it('form.reset() clears the input and the value, and cancels an encryption in flight', async () => {
      const pending = deferred<ResolvedKey>();
      resolve.and.returnValue(pending.promise);
      type(input, 'wonderland');
      host.form.reset({ username: 'alice', password: null });
      pending.resolve(resolvedKey);
      await pending.promise;
      await new Promise((r) => setTimeout(r, 20));
      expect(input.value).toBe('');
      expect(password.value).toBeNull();
      expect(password.status).toBe('VALID');
    });

    it('follows the control\'s disabled state', async () => {
      password.disable();
      expect(input.disabled).toBeTrue();
      password.enable();
      expect(input.disabled).toBeFalse();
    });

    it('wipes the plaintext from the input after a valid submit; the submitted value is the JWE', async () => {
      type(input, 'wonderland');
      await settled(password);
      const jwe = password.value;
      (fixture.nativeElement as HTMLElement).querySelector('button')?.click();
      expect(host.submitted).toEqual({ username: 'alice', password: jwe });
      expect(input.value).toBe('');
      expect(password.value).toBe(jwe);
    });

    it('keeps the typed text when the submitted form is invalid', async () => {
      type(input, 'wonderland');
      await settled(password);
      host.form.controls.username.setValue('');
      (fixture.nativeElement as HTMLElement).querySelector('button')?.click();
      expect(input.value).toBe('wonderland');
    });

    it('re-encrypts for the new server when the target changes', async () => {
      type(input, 'wonderland');
      await settled(password);
      host.target.set('https://other.example/api');
      await fixture.whenStable();
      await settled(password);
      expect(resolve).toHaveBeenCalledWith({ url: 'https://other.example/api' });
      expect(await decrypt(password.value, pair)).toBe('wonderland');
    });
  });

  describe('in a template-driven form (ngModel)', () => {
    let fixture: ComponentFixture<TemplateHost>;
    let host: TemplateHost;
    let input: HTMLInputElement;

    async function create(pin: string | null): Promise<AbstractControl> {
      setUp();
      fixture = TestBed.createComponent(TemplateHost);
      host = fixture.componentInstance;
      host.pin = pin;
      await fixture.whenStable();
      input = (fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement;
      return host.form().controls['pin'] as AbstractControl;
    }

    it('binds the JWE, never the PIN, to the model; PENDING then VALID', async () => {
      const control = await create('');
      type(input, '4711');
      expect(host.form().pending).toBeTrue();
      expect(host.pin).toBeNull();
      await settled(control);
      expect(host.form().valid).toBeTrue();
      expect(host.pin).toMatch(COMPACT_JWE);
      expect(host.form().value).toEqual({ pin: host.pin });
      expect(JSON.stringify(host.form().value)).not.toContain('4711');
      expect(await decrypt(host.pin, pair)).toBe('4711');
      const header = await decryptedHeader(host.pin, pair);
      expect(header['aud']).toBe(`${new URL(document.baseURI).origin}/api/pin`);
      expect(header['jti']).toMatch(SECRET_JTI_PATTERN);
      expect(Math.abs((header['iat'] as number) - Date.now() / 1000)).toBeLessThan(5);
      expect(resolve).toHaveBeenCalledWith({ url: '/api/pin' });
    });

    it('applies the plaintext validators', async () => {
      const control = await create('');
      type(input, '12');
      expect(control.errors?.['minlength']?.actualLength).toBe(2);
      expect(host.pin).toBeNull();
    });

    it('does not show an initial model value and marks it not encrypted', async () => {
      const control = await create('1234');
      expect(input.value).toBe('');
      expect(control.errors?.['secureField']?.code).toBe('secret_not_encrypted');
    });
  });

  describe('on a standalone [formControl]', () => {
    it('takes the target from provideSecureField when the attribute is empty', async () => {
      setUp([provideSecureField({ target: '/idp/token' })]);
      const fixture = TestBed.createComponent(StandaloneHost);
      await fixture.whenStable();
      const { control } = fixture.componentInstance;
      type((fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement, 'wonderland');
      await settled(control);
      expect(resolve).toHaveBeenCalledWith({ url: '/idp/token' });
      expect(await decrypt(control.value, pair)).toBe('wonderland');
    });

    it('without any target → INVALID with config_invalid, nothing encrypted', async () => {
      setUp();
      const fixture = TestBed.createComponent(StandaloneHost);
      await fixture.whenStable();
      const { control } = fixture.componentInstance;
      type((fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement, 'wonderland');
      await settled(control);
      expect(control.errors?.['secureField']?.code).toBe('config_invalid');
      expect(control.value).toBeNull();
      expect(resolve).not.toHaveBeenCalled();
    });

    it('refuses updateOn "blur" (the JWE would arrive after the value was taken)', async () => {
      setUp([provideSecureField({ target: '/idp/token' })]);
      const fixture = TestBed.createComponent(StandaloneHost);
      fixture.componentInstance.control = new FormControl<string | null>(null, { updateOn: 'blur' });
      await fixture.whenStable();
      expect(fixture.componentInstance.control.errors?.['secureField']?.code).toBe('config_invalid');
    });
  });
});
