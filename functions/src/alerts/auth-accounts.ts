// The Firebase Auth accounts of some members, read at send time (an address verified or disabled a
// minute ago counts now). getUsers takes at most 100 identifiers per call.
import { auth } from '../firebase/admin.js';
import type { AuthAccount } from './recipients.js';

const GET_USERS_BATCH = 100;

export async function authAccounts(uids: readonly string[]): Promise<AuthAccount[]> {
  const accounts: AuthAccount[] = [];
  for (let start = 0; start < uids.length; start += GET_USERS_BATCH) {
    const batch = uids.slice(start, start + GET_USERS_BATCH).map((uid) => ({ uid }));
    const { users } = await auth().getUsers(batch);
    for (const user of users) accounts.push({ uid: user.uid, email: user.email ?? null, emailVerified: user.emailVerified, disabled: user.disabled });
  }
  return accounts;
}
