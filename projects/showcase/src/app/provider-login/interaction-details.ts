/** What the provider says about a pending login (GET /idp/interaction/{uid}/details). */
export interface InteractionDetails {
  uid: string;
  prompt: string;
  client: { id: string; name: string | null };
  scope: string | null;
  resource: string | null;
  redirectUri: string | null;
  codeChallengeMethod: string | null;
}

/** The provider's answer to a successful login: where to resume the authorization. */
export interface LoginAccepted {
  redirectTo: string;
}
