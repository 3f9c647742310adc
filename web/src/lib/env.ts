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
    super(
      `Missing environment variable ${variable}: set it in web/.env.development ` +
        `(local) or web/.env.production.local (deploy).`,
    );
    this.name = 'MissingEnvError';
  }
}

function required(raw: RawPublicEnv, name: keyof RawPublicEnv): string {
  const value = raw[name]?.trim();
  if (!value) throw new MissingEnvError(name);
  return value;
}

export function parsePublicEnv(raw: RawPublicEnv): PublicEnv {
  return {
    firebase: {
      apiKey: required(raw, 'NEXT_PUBLIC_FIREBASE_API_KEY'),
      authDomain: required(raw, 'NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN'),
      projectId: required(raw, 'NEXT_PUBLIC_FIREBASE_PROJECT_ID'),
      appId: required(raw, 'NEXT_PUBLIC_FIREBASE_APP_ID'),
    },
    useEmulators: raw.NEXT_PUBLIC_USE_EMULATORS === 'true',
    googleSignIn: raw.NEXT_PUBLIC_GOOGLE_SIGN_IN === 'true',
  };
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
