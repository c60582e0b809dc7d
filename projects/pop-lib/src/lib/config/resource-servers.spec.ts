import { DOCUMENT } from '@angular/common';
import { TestBed } from '@angular/core/testing';
import { POP_BASE_URI } from './page-base';
import { providePop } from './provide-pop';
import { ResourceServers } from './resource-servers';

describe('ResourceServers', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('matches like findResourceServer: longest baseUrl, same origin, on a / boundary', () => {
    TestBed.configureTestingModule({
      providers: [providePop({ resourceServers: [{ baseUrl: 'https://bank.example/api' }, { baseUrl: 'https://bank.example/api/admin/' }] })],
    });
    const servers = TestBed.inject(ResourceServers);
    expect(servers.find('https://bank.example/api/x')?.baseUrl).toBe('https://bank.example/api');
    expect(servers.find('https://bank.example/api/admin')?.baseUrl).toBe('https://bank.example/api/admin/');
    for (const url of ['https://bank.example/api-admin', 'https://bank.example.evil/api/x', 'http://bank.example/api/x', 'http://[::1']) {
      expect(servers.find(url)).withContext(url).toBeUndefined();
    }
    expect(servers.locate('https://BANK.example:443/api/./x?q#f')?.htu).toBe('https://bank.example/api/x');
    expect(servers.locate('ftp://bank.example/api/x')?.htu).toBeUndefined();
  });

  it('parses the baseUrls once per page base URL, and again when it changes (never a stale base)', () => {
    let base: string | undefined = 'https://app.example/one/';
    TestBed.configureTestingModule({
      providers: [providePop({ resourceServers: [{ baseUrl: 'api' }, { baseUrl: 'https://bank.example/api' }] }), { provide: POP_BASE_URI, useValue: () => base }],
    });
    const servers = TestBed.inject(ResourceServers);
    expect(servers.find('api/x')?.baseUrl).toBe('api');
    expect(servers.locate('api/x?page=2')?.htu).toBe('https://app.example/one/api/x');
    base = 'https://app.example/two/';
    expect(servers.locate('api/x')?.htu).toBe('https://app.example/two/api/x');
    expect(servers.find('api/x')?.baseUrl).toBe('api');
    // The old base's root no longer belongs to the relative server.
    expect(servers.find('https://app.example/one/api/x')).toBeUndefined();
    base = undefined; // no page base known (server-side rendering without a URL)
    expect(servers.find('api/x')).toBeUndefined();
    expect(servers.find('https://bank.example/api/x')?.baseUrl).toBe('https://bank.example/api');
  });

  it('follows a <base href> changed in the page at run time', () => {
    TestBed.configureTestingModule({ providers: [providePop({ resourceServers: [{ baseUrl: 'api' }] })] });
    const servers = TestBed.inject(ResourceServers);
    const doc = TestBed.inject(DOCUMENT);
    const base = doc.createElement('base');
    base.href = new URL('/app1/', doc.baseURI).href;
    doc.head.prepend(base);
    try {
      expect(servers.locate('api/accounts')?.htu).toBe(new URL('/app1/api/accounts', doc.baseURI).href);
      expect(servers.find('api/accounts')?.baseUrl).toBe('api');
      base.href = new URL('/app2/', doc.baseURI).href;
      expect(servers.locate('api/accounts')?.htu).toBe(new URL('/app2/api/accounts', doc.baseURI).href);
      expect(servers.find('api/accounts')?.baseUrl).toBe('api');
      expect(servers.find('/app1/api/accounts')).toBeUndefined();
    } finally {
      base.remove();
    }
  });

  it('parses a long URL every time instead of keeping it, and stays right for it', () => {
    TestBed.configureTestingModule({ providers: [providePop({ resourceServers: [{ baseUrl: 'https://bank.example/api' }] })] });
    const servers = TestBed.inject(ResourceServers);
    const long = `https://bank.example/api/x?${'q'.repeat(4096)}`;
    const NativeUrl = URL;
    let parsed = 0;
    globalThis.URL = class extends NativeUrl {
      constructor(url: string | URL, base?: string | URL) {
        super(url, base);
        parsed++;
      }
    };
    try {
      for (let i = 0; i < 3; i++) expect(servers.locate(long)?.htu).toBe('https://bank.example/api/x');
      expect(parsed).toBe(3 + 1); // three lookups, and the baseUrl once
    } finally {
      globalThis.URL = NativeUrl;
    }
  });
});
