// A spinner line on stderr while a person waits (once, collect, doctor). Only on a terminal: under
// systemd, in a pipe or in CI it is silent, so logs and JSON output stay clean.

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(text: string): void;
  /** Clears the line; the next output starts on a clean line. */
  stop(): void;
  /** Writes through the spinner: clears its line, runs `write`, draws it again. */
  around(write: () => void): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

export function createProgress(stream: OutputStream, intervalMs = 100): Progress {
  if (!stream.isTTY) return { update() {}, stop() {}, around: (write) => write() };
  let text = '';
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    stream.write(`${CLEAR_LINE}${FRAMES[frame % FRAMES.length]} ${text}`);
    frame += 1;
  };
  return {
    update(next) {
      text = next;
      if (!timer) {
        timer = setInterval(draw, intervalMs);
        timer.unref();
      }
      draw();
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      stream.write(CLEAR_LINE);
    },
    around(write) {
      if (timer) stream.write(CLEAR_LINE);
      write();
      if (timer) draw();
    },
  };
}

/** "collecting: 7/12 solutions (waiting for clamav, suricata)" */
export function collectProgressText(progress: { done: number; total: number; running: string[] }): string {
  const waiting = progress.running.length
    ? ` (waiting for ${progress.running.slice(0, 4).join(', ')}${progress.running.length > 4 ? ', …' : ''})`
    : '';
  return `collecting: ${progress.done}/${progress.total} solutions${waiting}`;
}
