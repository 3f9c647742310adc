// The one place that reads the dashboard's configuration. Next.js inlines a
// NEXT_PUBLIC_ variable only where it is written out in full, so each is named here.

export interface PublicEnv {
  firebase: {
    apiKey: string;
    authDomain: string;
    projectId: string;
    appId: string;
  };
  useEmulators: boolean;
  googleSignIn: boolean;
}

export type RawPublicEnv = Record<
  | 'NEXT_PUBLIC_FIREBASE_API_KEY'
  | 'NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN'
  | 'NEXT_PUBLIC_FIREBASE_PROJECT_ID'
  | 'NEXT_PUBLIC_FIREBASE_APP_ID'
  | 'NEXT_PUBLIC_USE_EMULATORS'
  | 'NEXT_PUBLIC_GOOGLE_SIGN_IN',
  string | undefined
>;

export class MissingEnvError extends Error {
  constructor(readonly variable: string) {
    super(`Missing environment variable ${variable}: set it in web/.env.development ` + `(local) or web/.env.production.local (deploy).`);
    this.name = 'MissingEnvError';
  }
}

/**
 * The emulators with a real project id: a build meant for the emulators deployed by mistake, or a
 * deploy configuration that kept the local flag. Either way the pages would talk to localhost.
 * The demo- prefix is what makes the Firebase SDKs refuse to reach a real project.
 */
export class EmulatorsOnRealProjectError extends Error {
  constructor(readonly projectId: string) {
    super(
      `NEXT_PUBLIC_USE_EMULATORS=true with the project "${projectId}": the emulators are only for demo- projects. ` +
        `For a deploy set NEXT_PUBLIC_USE_EMULATORS=false in web/.env.production.local; ` +
        `for local work use a demo- project id (web/.env.development).`,
    );
    this.name = 'EmulatorsOnRealProjectError';
  }
}

function required(raw: RawPublicEnv, name: keyof RawPublicEnv): string {
  const value = raw[name]?.trim();
  if (!value) throw new MissingEnvError(name);
  return value;
}

/** Checked at build time too (next.config.ts), so a wrong configuration fails the build, not the page. */
export function parsePublicEnv(raw: RawPublicEnv): PublicEnv {
  const env: PublicEnv = {
    firebase: {
      apiKey: required(raw, 'NEXT_PUBLIC_FIREBASE_API_KEY'),
      authDomain: required(raw, 'NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN'),
      projectId: required(raw, 'NEXT_PUBLIC_FIREBASE_PROJECT_ID'),
      appId: required(raw, 'NEXT_PUBLIC_FIREBASE_APP_ID'),
    },
    useEmulators: raw.NEXT_PUBLIC_USE_EMULATORS === 'true',
    googleSignIn: raw.NEXT_PUBLIC_GOOGLE_SIGN_IN === 'true',
  };
  if (env.useEmulators && !env.firebase.projectId.startsWith('demo-')) throw new EmulatorsOnRealProjectError(env.firebase.projectId);
  return env;
}

export function readPublicEnv(): PublicEnv {
  return parsePublicEnv({
    NEXT_PUBLIC_FIREBASE_API_KEY: process.env.NEXT_PUBLIC_FIREBASE_API_KEY,
    NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN: process.env.NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN,
    NEXT_PUBLIC_FIREBASE_PROJECT_ID: process.env.NEXT_PUBLIC_FIREBASE_PROJECT_ID,
    NEXT_PUBLIC_FIREBASE_APP_ID: process.env.NEXT_PUBLIC_FIREBASE_APP_ID,
    NEXT_PUBLIC_USE_EMULATORS: process.env.NEXT_PUBLIC_USE_EMULATORS,
    NEXT_PUBLIC_GOOGLE_SIGN_IN: process.env.NEXT_PUBLIC_GOOGLE_SIGN_IN,
  });
}
