// Finds a Java runtime new enough for firebase-tools (21+). The machine's default `java` is often
// older, so we look in JAVA_HOME, then PATH, then every JDK under /usr/lib/jvm, newest first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const MIN_JAVA_MAJOR = 21;

/** Parses the major version out of `java -version` output ("1.8.0_x" is 8, "25.0.1" is 25). */
export function parseJavaMajor(versionOutput) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

function javaMajorOf(javaBinary) {
  const result = spawnSync(javaBinary, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return parseJavaMajor(`${result.stderr}\n${result.stdout}`);
}

export const JVM_ROOTS = ['/usr/lib/jvm', '/usr/local/lib/jvm', '/opt/java'];

function candidateJavaHomes(env, jvmRoots) {
  const homes = [];
  if (env.JAVA_HOME) homes.push(env.JAVA_HOME);
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'java'))) homes.push(path.dirname(dir));
  }
  for (const root of jvmRoots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort().reverse()) homes.push(path.join(root, name));
  }
  return [...new Set(homes)];
}

/** Returns {home, bin, major} of the first Java >= 21 found, or throws an error that says what to install. */
export function findJava(env = process.env, jvmRoots = JVM_ROOTS) {
  const seen = [];
  for (const home of candidateJavaHomes(env, jvmRoots)) {
    const bin = path.join(home, 'bin', 'java');
    if (!existsSync(bin)) continue;
    const major = javaMajorOf(bin);
    seen.push(`${bin} (${major ?? 'unknown version'})`);
    if (major !== undefined && major >= MIN_JAVA_MAJOR) return { home, bin, major };
  }
  const found = seen.length ? `Found only: ${seen.join(', ')}.` : 'Found no Java at all.';
  throw new Error(
    `The Firebase emulators need Java ${MIN_JAVA_MAJOR} or newer. ${found}\n` +
      `Install one (for example \`apt-get install -y openjdk-21-jre-headless\` or a Temurin 21+ JDK) ` +
      `or point JAVA_HOME at it.`,
  );
}
