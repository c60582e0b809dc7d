import { Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session } from '../auth/session';

/** Landing page: the threat, what pop-lib does about it, and where each guarantee is shown. */
@Component({
  selector: 'app-overview',
  imports: [RouterLink],
  templateUrl: './overview.html',
  styleUrl: './overview.css',
})
export class Overview {
  protected readonly session = inject(Session);
}
