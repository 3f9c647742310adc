// The Auth emulator's out-of-band codes: the verification and password-reset emails it would have
// sent, readable over its REST API so a test can follow the link a user would click.
const authEmulatorHost = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099';
const PROJECT_ID = 'demo-vigil';

export type OobRequestType = 'VERIFY_EMAIL' | 'PASSWORD_RESET' | 'EMAIL_SIGNIN' | 'VERIFY_AND_CHANGE_EMAIL';

export interface OobCode {
  email: string;
  oobCode: string;
  oobLink: string;
  requestType: OobRequestType;
}

/** Every code the emulator issued for this address and purpose, oldest first. */
export async function oobCodesFor(email: string, requestType: OobRequestType): Promise<OobCode[]> {
  const response = await fetch(`http://${authEmulatorHost}/emulator/v1/projects/${PROJECT_ID}/oobCodes`);
  if (!response.ok) throw new Error(`Auth emulator oobCodes failed: ${response.status} ${await response.text()}`);
  const { oobCodes } = (await response.json()) as { oobCodes?: OobCode[] };
  return (oobCodes ?? []).filter((code) => code.email === email && code.requestType === requestType);
}

/** Sets a new password with a reset code, as Firebase's action page does when the user submits it. */
export async function resetPasswordWithCode(oobCode: string, newPassword: string): Promise<void> {
  const response = await fetch(`http://${authEmulatorHost}/identitytoolkit.googleapis.com/v1/accounts:resetPassword?key=demo-api-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ oobCode, newPassword }),
  });
  if (!response.ok) throw new Error(`Auth emulator resetPassword failed: ${response.status} ${await response.text()}`);
}
