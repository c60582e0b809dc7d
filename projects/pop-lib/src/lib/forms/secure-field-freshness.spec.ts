import { Component, signal, viewChild } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { AbstractControl, FormControl, FormGroup, FormsModule, NgForm, ReactiveFormsModule, Validators } from '@angular/forms';
import { compactDecrypt } from 'jose';
import { SECRET_JTI_PATTERN, type SecretJweHeader } from '../../protocol';
import { toEncryptionKey } from '../keys/encryption-key';
import { KeyResolverService, type ResolvedKey } from '../keys/key-resolver.service';
import { POP_CLOCK } from '../keys/pop-clock';
import { settled, type } from '../testing/form-input';
import { serverKeyPair, type ServerKeyPair } from '../testing/server-key-pairs';
import { SECURE_FIELD_OPTIONS, provideSecureField } from './secure-field-options';
import { SECURE_FIELD_TIMER, type SecureFieldTimer } from './secure-field-timer';
import { SecureFieldDirective } from './secure-field.directive';

const PASSWORD = 'wonderland-4711';
const MINUTE = 60_000;

/**
 * Time the specs move by hand: `POP_CLOCK` reads `now`, and `SECURE_FIELD_TIMER` callbacks
 * fire when `advance` passes their due time — or never, as in a background tab or a sleeping
 * laptop, with `timersRun: false`.
 */
class FakeTime {
  now = Date.UTC(2026, 10, 22, 9, 0, 0);
  private jobs: { due: number; callback: () => void; cancelled: boolean }[] = [];

  readonly timer: SecureFieldTimer = {
    schedule: (callback, delayMs) => {
      const job = { due: this.now + delayMs, callback, cancelled: false };
      this.jobs.push(job);
      return () => (job.cancelled = true);
    },
  };

  advance(ms: number, { timersRun = true } = {}): void {
    this.now += ms;
    if (timersRun) this.fireDue();
  }

  fireDue(): void {
    for (let job = this.nextDue(); job; job = this.nextDue()) {
      this.jobs.splice(this.jobs.indexOf(job), 1);
      job.callback();
    }
  }

  /** Timers scheduled and neither fired nor cancelled. */
  pending(): number {
    return this.jobs.filter((job) => !job.cancelled).length;
  }

  private nextDue() {
    this.jobs = this.jobs.filter((job) => !job.cancelled);
    return this.jobs.filter((job) => job.due <= this.now).sort((a, b) => a.due - b.due)[0];
  }
}

@Component({
  imports: [ReactiveFormsModule, SecureFieldDirective],
  template: `
    <form [formGroup]="form" (ngSubmit)="sent.push({ valid: form.valid, value: form.value.password ?? null })">
      <input type="password" formControlName="password" secureField="https://bank.example/api/login"
             [secureFieldValidators]="rules" [secureFieldClearOnSubmit]="clearOnSubmit()" />
      <button type="submit">Log in</button>
    </form>
  `,
})
class LoginHost {
  readonly form = new FormGroup({ password: new FormControl<string | null>(null) });
  readonly rules = [Validators.required];
  readonly clearOnSubmit = signal(true);
  /** What the app's submit handler saw, each time. */
  readonly sent: { valid: boolean; value: string | null }[] = [];
}

@Component({
  imports: [FormsModule, SecureFieldDirective],
  template: `
    <form>
      <input type="password" name="pin" [(ngModel)]="pin" secureField="/api/pin" />
    </form>
  `,
})
class PinHost {
  /** Every value the directive wrote to the model. */
  readonly modelWrites: (string | null)[] = [];
  private value: string | null = null;
  readonly form = viewChild.required(NgForm);

  get pin(): string | null {
    return this.value;
  }

  set pin(value: string | null) {
    this.modelWrites.push(value);
    this.value = value;
  }
}

/** Lets promise callbacks (a refresh queued by a validation) run. */
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('secureField freshness', () => {
  let pair: ServerKeyPair;
  let resolvedKey: ResolvedKey;
  let time: FakeTime;

  beforeAll(async () => {
    pair = await serverKeyPair('P-256', 'bank-1');
    resolvedKey = { ...(await toEncryptionKey(pair.publicJwk)), source: 'jwks', baseUrl: 'https://bank.example/api' };
  });

  function setUp(extraProviders: unknown[] = []): void {
    time = new FakeTime();
    TestBed.configureTestingModule({
      providers: [
        { provide: KeyResolverService, useValue: { resolve: () => Promise.resolve(resolvedKey) } },
        { provide: POP_CLOCK, useValue: () => time.now },
        { provide: SECURE_FIELD_TIMER, useValue: time.timer },
        ...(extraProviders as []),
      ],
    });
  }

  /** Plaintext and authenticated header of a field value, as the server reads them. */
  async function open(jwe: unknown): Promise<{ text: string; iat: number; jti: string; aud: string }> {
    expect(jwe).withContext('a JWE, not null').toEqual(jasmine.any(String));
    const { plaintext, protectedHeader } = await compactDecrypt(jwe as string, pair.privateKey);
    const { iat, jti, aud } = protectedHeader as unknown as SecretJweHeader;
    return { text: new TextDecoder().decode(plaintext), iat, jti, aud };
  }

  describe('in a reactive form', () => {
    let fixture: ComponentFixture<LoginHost>;
    let host: LoginHost;
    let input: HTMLInputElement;
    let password: FormControl<string | null>;
    /** Every value the control took, in order. */
    let values: (string | null)[];

    beforeEach(async () => {
      setUp();
      fixture = TestBed.createComponent(LoginHost);
      host = fixture.componentInstance;
      await fixture.whenStable();
      input = (fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement;
      password = host.form.controls.password;
      values = [];
      password.valueChanges.subscribe((value) => values.push(value));
    });

    function submit(): void {
      (fixture.nativeElement as HTMLElement).querySelector('button')?.click();
    }

    async function typeAndSettle(text: string): Promise<void> {
      type(input, text);
      await settled(password);
      expect(password.status).toBe('VALID');
    }

    it('re-encrypts at the refresh age (240 s): PENDING with null, then a new JWE with a new jti and iat', async () => {
      await typeAndSettle(PASSWORD);
      const first = await open(password.value);
      expect(first.iat).toBe(Math.floor(time.now / 1000));

      time.advance(240_000 - 1);
      expect(password.status).toBe('VALID');
      expect((await open(password.value)).jti).toBe(first.jti);

      time.advance(1);
      expect(password.status).toBe('PENDING');
      expect(password.value).toBeNull();
      expect(host.form.valid).toBeFalse();
      await settled(password);

      const second = await open(password.value);
      expect(password.status).toBe('VALID');
      expect(second.text).toBe(PASSWORD);
      expect(second.jti).not.toBe(first.jti);
      expect(second.jti).toMatch(SECRET_JTI_PATTERN);
      expect(second.iat).toBe(first.iat + 240);
      expect(second.aud).toBe('https://bank.example/api/login');
      expect(time.pending()).withContext('one freshness check scheduled, not one per refresh').toBe(1);
    });

    it('a form typed now and submitted 15 minutes later sends a JWE at most 240 s old, and VALID', async () => {
      await typeAndSettle(PASSWORD);
      const typedAt = time.now;
      for (let minute = 1; minute <= 15; minute++) {
        time.advance(MINUTE);
        await settled(password);
      }
      expect(time.now - typedAt).toBe(15 * MINUTE);
      expect(password.status).toBe('VALID');
      submit();

      expect(host.sent.length).toBe(1);
      expect(host.sent[0]?.valid).toBeTrue();
      const sent = await open(host.sent[0]?.value);
      expect(sent.text).toBe(PASSWORD);
      expect(Math.floor(time.now / 1000) - sent.iat).toBeLessThanOrEqual(240);
      // Refreshed at 4, 8 and 12 minutes: four JWEs in all, each with its own jti.
      const jwes = values.filter((value): value is string => value !== null);
      expect(jwes.length).toBe(4);
      expect(new Set(await Promise.all(jwes.map(async (jwe) => (await open(jwe)).jti))).size).toBe(4);
    });

    describe('when timers were held back (background tab, sleep)', () => {
      beforeEach(async () => {
        await typeAndSettle(PASSWORD);
        time.advance(15 * MINUTE, { timersRun: false });
      });

      it('the page becoming visible refreshes at once', async () => {
        document.dispatchEvent(new Event('visibilitychange'));
        expect(password.status).toBe('PENDING');
        expect(password.value).toBeNull();
        await settled(password);
        expect((await open(password.value)).iat).toBe(Math.floor(time.now / 1000));
      });

      it('focusing the input refreshes at once', async () => {
        input.dispatchEvent(new Event('focus'));
        expect(password.status).toBe('PENDING');
        await settled(password);
        expect((await open(password.value)).iat).toBe(Math.floor(time.now / 1000));
      });

      it('attack on staleness: a submit never sends the old JWE; the app sees PENDING and null, the next submit a fresh JWE', async () => {
        submit();
        expect(host.sent).toEqual([{ valid: false, value: null }]);
        expect(input.value).withContext('text kept for the refresh').toBe(PASSWORD);
        await settled(password);
        submit();
        expect(host.sent[1]?.valid).toBeTrue();
        expect((await open(host.sent[1]?.value)).iat).toBe(Math.floor(time.now / 1000));
      });

      it('validating the control reports PENDING, never VALID, until the JWE is fresh', async () => {
        password.updateValueAndValidity();
        expect(password.status).toBe('PENDING');
        await flushMicrotasks();
        await settled(password);
        expect(password.status).toBe('VALID');
        expect((await open(password.value)).iat).toBe(Math.floor(time.now / 1000));
      });
    });

    it('a clock set back (age below zero) counts as stale', async () => {
      await typeAndSettle(PASSWORD);
      const before = await open(password.value);
      time.advance(-MINUTE, { timersRun: false });
      input.dispatchEvent(new Event('focus'));
      await settled(password);
      expect((await open(password.value)).jti).not.toBe(before.jti);
    });

    it('a fresh JWE is left alone by focus, visibility and validation', async () => {
      await typeAndSettle(PASSWORD);
      const jwe = password.value;
      time.advance(MINUTE);
      input.dispatchEvent(new Event('focus'));
      document.dispatchEvent(new Event('visibilitychange'));
      password.updateValueAndValidity();
      await flushMicrotasks();
      expect(password.status).toBe('VALID');
      expect(password.value).toBe(jwe);
    });

    describe('after a valid submit (the JWE is spent)', () => {
      it('wiped text: handlers after the event still read the JWE; at the next check the field is empty and required fails', async () => {
        await typeAndSettle(PASSWORD);
        const jwe = password.value;
        submit();
        expect(host.sent[0]).toEqual({ valid: true, value: jwe });
        expect(input.value).toBe('');
        expect(password.value).toBe(jwe);

        input.dispatchEvent(new Event('focus'));
        expect(password.value).toBeNull();
        expect(password.errors).toEqual({ required: true });
      });

      it('attack: submitting again does not resend the spent JWE', async () => {
        await typeAndSettle(PASSWORD);
        submit();
        submit();
        expect(host.sent[1]).toEqual({ valid: false, value: null });
      });

      it('wiped text and no check: the refresh age empties the field, no JWE outlives it', async () => {
        await typeAndSettle(PASSWORD);
        submit();
        time.advance(240_000);
        expect(password.value).toBeNull();
        expect(password.status).toBe('INVALID');
        expect(time.pending()).toBe(0);
      });

      it('kept text (secureFieldClearOnSubmit false): re-encrypted right after the event, with a new jti', async () => {
        host.clearOnSubmit.set(false);
        await fixture.whenStable();
        await typeAndSettle(PASSWORD);
        const spent = await open(password.value);
        submit();
        expect(host.sent[0]?.valid).toBeTrue();
        expect(input.value).toBe(PASSWORD);
        time.fireDue();
        expect(password.status).toBe('PENDING');
        await settled(password);
        const next = await open(password.value);
        expect(next.text).toBe(PASSWORD);
        expect(next.jti).not.toBe(spent.jti);
        submit();
        expect((await open(host.sent[1]?.value)).jti).toBe(next.jti);
      });
    });

    it('never holds the plaintext in the value, whatever happens (typing, refreshes, submits)', async () => {
      host.clearOnSubmit.set(false);
      await fixture.whenStable();
      await typeAndSettle(PASSWORD);
      time.advance(240_000);
      await settled(password);
      time.advance(15 * MINUTE, { timersRun: false });
      document.dispatchEvent(new Event('visibilitychange'));
      await settled(password);
      submit();
      time.fireDue();
      await settled(password);

      expect(values.length).toBeGreaterThan(5);
      for (const value of values) {
        expect(value === null || (await open(value)).text === PASSWORD).withContext(String(value)).toBeTrue();
      }
      expect(JSON.stringify([values, host.sent, host.form.getRawValue()])).not.toContain(PASSWORD);
    });

    it('cancels its timer when the field is destroyed', async () => {
      await typeAndSettle(PASSWORD);
      expect(time.pending()).toBe(1);
      fixture.destroy();
      expect(time.pending()).toBe(0);
    });

    it('schedules nothing while the field holds no JWE', async () => {
      expect(time.pending()).toBe(0);
      type(input, '');
      expect(time.pending()).toBe(0);
    });
  });

  describe('in a template-driven form', () => {
    it('the model gets fresh JWEs (new jti, aud of the target) and never the PIN', async () => {
      setUp();
      const fixture = TestBed.createComponent(PinHost);
      const host = fixture.componentInstance;
      await fixture.whenStable();
      const input = (fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement;
      const control = host.form().controls['pin'] as AbstractControl;

      type(input, '4711');
      await settled(control);
      const first = await open(host.pin);
      time.advance(240_000);
      expect(host.pin).toBeNull();
      await settled(control);
      await fixture.whenStable();
      const second = await open(host.pin);

      expect(control.status).toBe('VALID');
      expect(second.text).toBe('4711');
      expect(second.jti).not.toBe(first.jti);
      expect(second.iat).toBe(first.iat + 240);
      expect(second.aud).toBe(`${new URL(document.baseURI).origin}/api/pin`);
      expect(host.modelWrites.every((value) => value === null || value.split('.').length === 5)).toBeTrue();
      expect(JSON.stringify(host.modelWrites)).not.toContain('4711');
    });
  });

  describe('refresh age option', () => {
    async function field(options: unknown[]): Promise<{ control: FormControl<string | null>; input: HTMLInputElement }> {
      setUp(options);
      const fixture = TestBed.createComponent(LoginHost);
      await fixture.whenStable();
      const input = (fixture.nativeElement as HTMLElement).querySelector('input') as HTMLInputElement;
      return { control: fixture.componentInstance.form.controls.password, input };
    }

    it('provideSecureField({ refreshAfterSeconds: 60 }) refreshes every minute', async () => {
      const { control, input } = await field([provideSecureField({ refreshAfterSeconds: 60 })]);
      type(input, PASSWORD);
      await settled(control);
      time.advance(59_999);
      expect(control.status).toBe('VALID');
      time.advance(1);
      expect(control.status).toBe('PENDING');
    });

    it('options provided directly with a bad refresh age: every field is INVALID with config_invalid, nothing encrypted', async () => {
      const { control, input } = await field([{ provide: SECURE_FIELD_OPTIONS, useValue: { refreshAfterSeconds: 0 } }]);
      type(input, PASSWORD);
      await settled(control);
      expect(control.value).toBeNull();
      expect(control.errors?.['secureField']?.code).toBe('config_invalid');
      expect(control.errors?.['secureField']?.message).toContain('refreshAfterSeconds');
    });
  });
});
