import { mkdtempSync, mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJava, parseJavaMajor } from './java.mjs';

/** A fake JDK whose `java -version` prints the given version, as real ones do (on stderr). */
function fakeJavaHome(root, name, version) {
  const home = path.join(root, name);
  mkdirSync(path.join(home, 'bin'), { recursive: true });
  const bin = path.join(home, 'bin', 'java');
  writeFileSync(bin, `#!/bin/sh\necho 'openjdk version "${version}" 2025-01-01' >&2\n`);
  chmodSync(bin, 0o755);
  return home;
}

describe('parseJavaMajor', () => {
  it('reads modern and legacy version strings', () => {
    expect(parseJavaMajor('openjdk version "25.0.1" 2025-10-21')).toBe(25);
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_401"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('no java here')).toBeUndefined();
  });
});

describe('findJava', () => {
  it('skips a too-old JAVA_HOME and finds a newer JDK on PATH', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vigil-java-'));
    const old = fakeJavaHome(root, 'old', '17.0.1');
    const fresh = fakeJavaHome(root, 'fresh', '21.0.2');
    const found = findJava({ JAVA_HOME: old, PATH: path.join(fresh, 'bin') });
    expect(found).toMatchObject({ home: fresh, major: 21 });
  });

  it('says what to install when only old Java exists', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vigil-java-'));
    const old = fakeJavaHome(root, 'old', '17.0.1');
    expect(() => findJava({ JAVA_HOME: old, PATH: '' }, [root])).toThrow(/Java 21 or newer.*Found only: .*old\/bin\/java \(17\)/s);
    expect(() => findJava({ PATH: '' }, [])).toThrow(/Found no Java at all.*openjdk-21-jre-headless/s);
  });

  it('looks through the JVM folders when JAVA_HOME and PATH have nothing new enough', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vigil-java-'));
    fakeJavaHome(root, 'java-17', '17.0.1');
    const newest = fakeJavaHome(root, 'temurin-25', '25.0.1');
    expect(findJava({ PATH: '' }, [root])).toMatchObject({ home: newest, major: 25 });
  });
});
