import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { isPopError } from '../errors/pop-error';
import { POP_CONFIG, ResolvedPopConfig } from './pop-config';
import { PopModule } from './pop.module';
import { providePop } from './provide-pop';

describe('providePop', () => {
  it('provides the validated config with defaults', () => {
    TestBed.configureTestingModule({ providers: [providePop({ resourceServers: [{ baseUrl: '/api' }] })] });
    const config = TestBed.inject(POP_CONFIG) as ResolvedPopConfig;
    expect(config.resourceServers).toEqual([{ baseUrl: '/api' }]);
    expect(config.keyClaim).toBe('res_pub_key');
    expect(config.jwks.timeoutMs).toBe(5000);
  });

  it('throws config_invalid at once, before the app starts', () => {
    let error: unknown;
    try {
      providePop({ resourceServers: [{ baseUrl: 'http://bank.example' }] });
    } catch (e) {
      error = e;
    }
    expect(isPopError(error, 'config_invalid')).toBeTrue();
  });
});

describe('PopModule.forRoot', () => {
  @Component({ selector: 'pop-probe', template: '' })
  class ProbeComponent {
    readonly config = inject(POP_CONFIG);
  }

  it('provides the validated config to an NgModule app', () => {
    TestBed.configureTestingModule({ imports: [PopModule.forRoot({ resourceServers: [{ baseUrl: '/api' }], keyClaim: 'k' })] });
    const probe = TestBed.createComponent(ProbeComponent).componentInstance;
    expect(probe.config.keyClaim).toBe('k');
    expect((probe.config as ResolvedPopConfig).useCnfClaim).toBeTrue();
  });

  it('throws config_invalid at once', () => {
    expect(() => PopModule.forRoot({ resourceServers: [] })).toThrowMatching((e) => isPopError(e, 'config_invalid'));
  });
});
