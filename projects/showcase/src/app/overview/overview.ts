import { Component } from '@angular/core';
import { extractAccessToken } from 'pop-lib';

/** Landing page: what the showcase demonstrates, and a first use of the library. */
@Component({
  selector: 'app-overview',
  templateUrl: './overview.html',
})
export class Overview {
  /** Shows the library is wired in from source: the token utilities work in the page. */
  protected readonly sampleAccessToken = extractAccessToken({ access_token: 'sample-opaque-token' });
}
