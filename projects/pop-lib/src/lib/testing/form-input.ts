import type { AbstractControl } from '@angular/forms';
import { filter, firstValueFrom } from 'rxjs';

/** Test helper: types `text` into `input` the way a user does (value, then an `input` event). */
export function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input'));
}

/** Test helper: waits until `control` is no longer PENDING. */
export async function settled(control: AbstractControl): Promise<void> {
  if (!control.pending) return;
  await firstValueFrom(control.statusChanges.pipe(filter((status) => status !== 'PENDING')));
}
