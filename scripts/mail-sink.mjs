// The local SendGrid stand-in on http://127.0.0.1:8025 (see scripts/lib/mail-sink-server.mjs).
// Logs one line per accepted message; read them all with `curl http://127.0.0.1:8025/messages`.
import { startMailSink } from './lib/mail-sink-server.mjs';

const MAIL_SINK_PORT = 8025;

/** Agent-supplied text reaches subjects: keep control characters out of our terminal. */
function printable(value) {
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function describe(message) {
  const to = (message.personalizations ?? [])
    .flatMap((personalization) => personalization.to ?? [])
    .map((address) => address.email)
    .join(', ');
  const subject = message.personalizations?.[0]?.subject ?? message.subject ?? (message.template_id ? `(template ${message.template_id})` : '');
  return printable(`${message.receivedAt} to ${to}: ${subject}`);
}

let sink;
try {
  sink = await startMailSink({ port: MAIL_SINK_PORT, onMessage: (message) => console.log(describe(message)) });
} catch (error) {
  const reason = error.code === 'EADDRINUSE' ? `port ${MAIL_SINK_PORT} is already in use` : error.message;
  console.error(`mail sink: cannot start: ${reason}`);
  process.exit(1);
}
console.log(`mail sink: SendGrid API at ${sink.url}/v3/mail/send, received mail at ${sink.url}/messages`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  await sink.close();
  console.log(`mail sink: stopped (${signal})`);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
