import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { App } from './app';
import { routes } from './app.routes';
import { Session } from './auth/session';
import { sessionStub } from './testing/spec-helpers';

describe('App shell', () => {
  async function render(signedIn: boolean): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter(routes), { provide: Session, useValue: sessionStub(signedIn) }],
    });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('has a skip link, a labelled navigation of the three steps, and a main landmark', async () => {
    const page = await render(false);
    expect(page.querySelector('a.skip-link')?.getAttribute('href')).toBe('#main');
    const nav = page.querySelector('nav[aria-label]');
    expect(Array.from(nav?.querySelectorAll('a') ?? []).map((a) => a.textContent?.trim())).toEqual(['Overview', '1 Sign in', '2 Banking PIN', '3 Protected API']);
    expect(page.querySelector('main#main')).not.toBeNull();
    expect(page.querySelector('[data-testid="session-chip"]')?.textContent).toContain('signed out');
  });

  it('shows who is signed in', async () => {
    const page = await render(true);
    expect(page.querySelector('[data-testid="session-chip"]')?.textContent).toContain('alice');
  });
});
