import { describe, expect, it } from 'vitest';
import { EmulatorsOnRealProjectError, MissingEnvError, parsePublicEnv, type RawPublicEnv } from './env';

const complete: RawPublicEnv = {
  NEXT_PUBLIC_FIREBASE_API_KEY: 'demo-api-key',
  NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN: 'demo-vigil.firebaseapp.com',
  NEXT_PUBLIC_FIREBASE_PROJECT_ID: 'demo-vigil',
  NEXT_PUBLIC_FIREBASE_APP_ID: 'demo-app',
  NEXT_PUBLIC_USE_EMULATORS: 'true',
  NEXT_PUBLIC_GOOGLE_SIGN_IN: undefined,
};

describe('parsePublicEnv', () => {
  it('reads the Firebase config and the flags', () => {
    expect(parsePublicEnv(complete)).toEqual({
      firebase: {
        apiKey: 'demo-api-key',
        authDomain: 'demo-vigil.firebaseapp.com',
        projectId: 'demo-vigil',
        appId: 'demo-app',
      },
      useEmulators: true,
      googleSignIn: false,
    });
  });

  it('turns a flag on only for the exact string "true"', () => {
    const env = parsePublicEnv({ ...complete, NEXT_PUBLIC_USE_EMULATORS: '1', NEXT_PUBLIC_GOOGLE_SIGN_IN: 'true' });
    expect(env.useEmulators).toBe(false);
    expect(env.googleSignIn).toBe(true);
  });

  it.each(['NEXT_PUBLIC_FIREBASE_PROJECT_ID', 'NEXT_PUBLIC_FIREBASE_APP_ID'] as const)('names %s when it is missing or blank', (variable) => {
    for (const value of [undefined, '  ']) {
      const parse = () => parsePublicEnv({ ...complete, [variable]: value });
      expect(parse).toThrow(MissingEnvError);
      expect(parse).toThrow(variable);
    }
  });

  it('refuses to talk to the emulators with a real project id, so a deploy build cannot point at localhost', () => {
    const parse = () => parsePublicEnv({ ...complete, NEXT_PUBLIC_FIREBASE_PROJECT_ID: 'acme-vigil', NEXT_PUBLIC_USE_EMULATORS: 'true' });
    expect(parse).toThrow(EmulatorsOnRealProjectError);
    expect(parse).toThrow(/NEXT_PUBLIC_USE_EMULATORS=true.*"acme-vigil".*demo-/s);
    expect(parse).toThrow(/NEXT_PUBLIC_USE_EMULATORS=false/);
  });

  it('accepts the emulators with a demo- project, and a real project without them', () => {
    expect(parsePublicEnv(complete).useEmulators).toBe(true);
    const production = parsePublicEnv({ ...complete, NEXT_PUBLIC_FIREBASE_PROJECT_ID: 'acme-vigil', NEXT_PUBLIC_USE_EMULATORS: 'false' });
    expect(production).toMatchObject({ useEmulators: false, firebase: { projectId: 'acme-vigil' } });
  });
});
