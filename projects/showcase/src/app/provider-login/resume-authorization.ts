import { DOCUMENT } from '@angular/common';
import { inject, Injectable } from '@angular/core';

/** Leaves the app for the provider's resume URL (a full navigation; replaced in specs). */
@Injectable({ providedIn: 'root' })
export class ResumeAuthorization {
  private readonly document = inject(DOCUMENT);

  go(url: string): void {
    this.document.location.assign(url);
  }
}
