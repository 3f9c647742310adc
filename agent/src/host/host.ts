// Everything a solution plugin may do to the machine goes through this interface, so each plugin is
// tested against captured fixtures (host/fixture-host.ts) exactly as it runs on a real host
// (host/real-host.ts). Plugins never import node:fs or node:child_process themselves.

export interface CommandResult {
  /** null when the process was killed (timeout) or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The binary does not exist (ENOENT). */
  notFound: boolean;
}

export interface RunOptions {
  /** Killed after this long; the default is the host's (10 s). */
  timeoutMs?: number;
  /** Written to the command's standard input. */
  input?: string;
  /**
   * Variables added to the command's environment, over the host's own (PATH and the C locale), e.g.
   * what a service's EnvironmentFile= gives the service. They may be secrets: never logged or reported.
   */
  env?: Record<string, string>;
}

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  /** Permission bits, e.g. 0o600. */
  mode: number;
  uid: number;
  size: number;
  mtimeMs: number;
}

export interface TempFile {
  path: string;
  remove(): Promise<void>;
}

export interface Host {
  run(command: string, args: string[], options?: RunOptions): Promise<CommandResult>;
  /** The file's text, or undefined when it does not exist or cannot be read. Large files are cut at maxBytes (default 1 MiB). */
  readFile(path: string, options?: { maxBytes?: number }): Promise<string | undefined>;
  stat(path: string): Promise<FileStat | undefined>;
  /** Entry names of a directory, sorted; undefined when it does not exist. */
  listDir(path: string): Promise<string[] | undefined>;
  /** A private temporary file with this content (for functional tests such as EICAR). */
  writeTempFile(content: string): Promise<TempFile>;
  /** Directories searched for binaries, in order. */
  searchPath(): string[];
  now(): Date;
}
