import type { KindTableEntry } from './kind-table-entry.js';

/** ServiceAccounts (core/v1): `token` mints a token, which the API server (holding the signing key) serves. */
export const serviceAccountsEntry: KindTableEntry = {
  group: '',
  resource: 'serviceaccounts',
  served: { token: 'token-request' },
};
