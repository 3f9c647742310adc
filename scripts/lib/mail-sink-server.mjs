// A local stand-in for SendGrid's v3 Mail Send API, for development and tests: the functions point
// the real @sendgrid/mail client at it, so a request our code builds is checked the way SendGrid
// checks it (the rules that matter: recipients, sender, subject, content, templates) and answered
// with SendGrid's status codes and error shape. Accepted messages are kept in memory for
// `GET /messages`. Node's http only: no dependency to install.
//
// Routes: POST /v3/mail/send (202, or SendGrid's 400/401/413), GET /messages, DELETE /messages, and
// the fault switch, to rehearse a SendGrid outage:
//   POST /fault {"status": 500, "count": 2, "retryAfterSeconds": 30, "to": "a@b.c"}
//     answers the next `count` sends (every send until cleared when count is absent), or only those
//     with `to` among their recipients, with `status` (400-599) in SendGrid's error shape, plus a
//     Retry-After header when retryAfterSeconds is given; faulted sends are not kept. Faults stack:
//     the oldest one that matches applies.
//   GET /fault lists the faults in force; DELETE /fault clears them.
import http from 'node:http';

/** SendGrid refuses a whole request above 30 MB. */
export const SENDGRID_MAX_BODY_BYTES = 30 * 1024 * 1024;
const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
/** Deliberately loose, as SendGrid's own check is: something@something. */
const EMAIL_PATTERN = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/;

function error(message, field = null) {
  return { message, field, help: null };
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmail(value) {
  return typeof value === 'string' && EMAIL_PATTERN.test(value);
}

function checkAddressList(list, field, errors) {
  if (list === undefined) return 0;
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(error(`The ${field.split('.').pop()} array, when used, must have at least one email object with a valid email address.`, field));
    return 0;
  }
  list.forEach((address, index) => {
    if (!isObject(address) || !isEmail(address.email)) {
      errors.push(error('Does not contain a valid address.', `${field}.${index}.email`));
    }
  });
  return list.length;
}

function checkPersonalizations(body, isTemplate, errors) {
  const { personalizations } = body;
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    errors.push(error('You must have at least one personalization.', 'personalizations'));
    return;
  }
  if (personalizations.length > MAX_PERSONALIZATIONS) {
    errors.push(
      error(
        `The personalization block is limited to ${MAX_PERSONALIZATIONS} personalizations per API request. You have provided ${personalizations.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
        'personalizations',
      ),
    );
    return;
  }
  let recipients = 0;
  personalizations.forEach((personalization, index) => {
    const field = `personalizations.${index}`;
    if (!isObject(personalization)) {
      errors.push(error('Each personalization must be an object.', field));
      return;
    }
    if (!Array.isArray(personalization.to) || personalization.to.length === 0) {
      errors.push(
        error(
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          `${field}.to`,
        ),
      );
    } else {
      recipients += checkAddressList(personalization.to, `${field}.to`, errors);
    }
    recipients += checkAddressList(personalization.cc, `${field}.cc`, errors);
    recipients += checkAddressList(personalization.bcc, `${field}.bcc`, errors);
    if (personalization.subject !== undefined && typeof personalization.subject !== 'string') {
      errors.push(error('The subject of a personalization must be a string.', `${field}.subject`));
    }
    if (personalization.dynamic_template_data !== undefined) {
      if (!isTemplate) {
        errors.push(error('dynamic_template_data may only be used together with a template_id.', `${field}.dynamic_template_data`));
      } else if (!isObject(personalization.dynamic_template_data)) {
        errors.push(error('dynamic_template_data must be an object.', `${field}.dynamic_template_data`));
      }
    }
    if (isTemplate && String(body.template_id).startsWith('d-') && personalization.substitutions !== undefined) {
      errors.push(error('Substitutions may not be used with dynamic templating', `${field}.substitutions`));
    }
  });
  if (recipients > MAX_RECIPIENTS) {
    errors.push(error(`There is a limit of ${MAX_RECIPIENTS} total recipients (to + cc + bcc) per request.`, 'personalizations'));
  }
}

function checkContent(content, isTemplate, errors) {
  if (content === undefined || (Array.isArray(content) && content.length === 0)) {
    if (!isTemplate) {
      errors.push(
        error(
          'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
          'content',
        ),
      );
    }
    return;
  }
  if (!Array.isArray(content)) {
    errors.push(error('The content parameter must be an array of content blocks.', 'content'));
    return;
  }
  content.forEach((block, index) => {
    const field = `content.${index}`;
    if (!isObject(block) || typeof block.type !== 'string' || block.type.length === 0) {
      errors.push(error('The content type must be a string at least one character in length.', `${field}.type`));
    }
    if (!isObject(block) || typeof block.value !== 'string' || block.value.length === 0) {
      errors.push(error('The content value must be a string at least one character in length.', `${field}.value`));
    }
  });
  const plainIndex = content.findIndex((block) => isObject(block) && block.type === 'text/plain');
  if (plainIndex > 0) {
    errors.push(error('If present, text/plain content must be first, followed by text/html, followed by any other content.', 'content'));
  }
}

/** The errors SendGrid would answer for this request body, in its `{message, field, help}` shape; empty when valid. */
export function validateMailSend(body) {
  if (!isObject(body)) return [error('Bad Request')];
  const errors = [];
  const isTemplate = typeof body.template_id === 'string' && body.template_id.length > 0;
  checkPersonalizations(body, isTemplate, errors);
  if (!isObject(body.from) || body.from.email === undefined) {
    errors.push(
      error(
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
        'from.email',
      ),
    );
  } else if (!isEmail(body.from.email)) {
    errors.push(error('The from email does not contain a valid address.', 'from.email'));
  }
  const everyPersonalizationHasSubject =
    Array.isArray(body.personalizations) &&
    body.personalizations.length > 0 &&
    body.personalizations.every((personalization) => typeof personalization?.subject === 'string' && personalization.subject.length > 0);
  if (body.subject !== undefined && typeof body.subject !== 'string') {
    errors.push(error('The subject must be a string.', 'subject'));
  } else if (!isTemplate && !everyPersonalizationHasSubject && !body.subject) {
    errors.push(
      error(
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
        'subject',
      ),
    );
  }
  checkContent(body.content, isTemplate, errors);
  return errors;
}

/** A fault from `POST /fault`, checked; a string says what is wrong with it. */
function parseFault(body) {
  if (!isObject(body)) return 'the body must be a JSON object';
  const { status, count, retryAfterSeconds, to } = body;
  if (!Number.isInteger(status) || status < 400 || status > 599) return 'status must be an integer from 400 to 599';
  if (count !== undefined && count !== null && (!Number.isInteger(count) || count < 1))
    return 'count must be a positive integer (or absent: until cleared)';
  if (retryAfterSeconds !== undefined && retryAfterSeconds !== null && (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)) {
    return 'retryAfterSeconds must be a non-negative integer';
  }
  if (to !== undefined && to !== null && !isEmail(to)) return 'to must be an email address';
  return { status, count: count ?? null, retryAfterSeconds: retryAfterSeconds ?? null, to: to ? to.toLowerCase() : null };
}

function recipientsOf(body) {
  const personalizations = Array.isArray(body?.personalizations) ? body.personalizations : [];
  return personalizations.flatMap((personalization) =>
    ['to', 'cc', 'bcc'].flatMap((field) =>
      (Array.isArray(personalization?.[field]) ? personalization[field] : []).map((address) => String(address?.email ?? '').toLowerCase()),
    ),
  );
}

function sendJson(response, status, body, headers = {}) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** Reads the body up to maxBytes; resolves undefined when it is larger (the rest is drained, unread). */
function readBody(request, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function hasBearerToken(header) {
  const match = /^Bearer\s+(\S.*)$/i.exec(header ?? '');
  return Boolean(match?.[1]?.trim());
}

/**
 * Starts the sink. `port: 0` picks a free port (tests); `onMessage` is called with each accepted
 * message. Resolves once listening; rejects when the port cannot be bound.
 */
export async function startMailSink({ port = 8025, host = '127.0.0.1', maxBodyBytes = SENDGRID_MAX_BODY_BYTES, onMessage } = {}) {
  /** Accepted request bodies, oldest first, each with the ISO time it arrived. */
  let received = [];
  /** Faults in force (POST /fault), oldest first. */
  let faults = [];

  /** The fault this send meets, counted down; undefined when the send goes through. */
  function takeFault(body) {
    const recipients = recipientsOf(body);
    const fault = faults.find((candidate) => candidate.to === null || recipients.includes(candidate.to));
    if (!fault) return undefined;
    if (fault.count !== null) {
      fault.count -= 1;
      if (fault.count === 0) faults = faults.filter((candidate) => candidate !== fault);
    }
    return fault;
  }

  async function handleFault(request, response) {
    let body;
    try {
      body = JSON.parse((await readBody(request, 64 * 1024)) ?? '');
    } catch {
      sendJson(response, 400, { errors: [error('Bad Request: the body must be JSON')] });
      return;
    }
    const fault = parseFault(body);
    if (typeof fault === 'string') {
      sendJson(response, 400, { errors: [error(fault)] });
      return;
    }
    faults.push(fault);
    sendJson(response, 200, fault);
  }

  async function handleSend(request, response) {
    if (!request.headers.authorization) {
      sendJson(response, 401, { errors: [error('authorization required')] });
      request.resume();
      return;
    }
    if (!hasBearerToken(request.headers.authorization)) {
      sendJson(response, 401, { errors: [error('The provided authorization grant is invalid, expired, or revoked')] });
      request.resume();
      return;
    }
    const tooLarge = { errors: [error('The JSON payload you have included in your request is too large.')] };
    if (Number(request.headers['content-length']) > maxBodyBytes) {
      // The client told us up front: answer now and close rather than read megabytes for nothing.
      sendJson(response, 413, tooLarge, { connection: 'close' });
      request.resume();
      return;
    }
    const text = await readBody(request, maxBodyBytes);
    if (text === undefined) {
      sendJson(response, 413, tooLarge);
      return;
    }
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      sendJson(response, 400, { errors: [error('Bad Request')] });
      return;
    }
    const fault = takeFault(body);
    if (fault) {
      const headers = fault.retryAfterSeconds === null ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      sendJson(response, fault.status, { errors: [error(`Injected fault: the mail sink answers ${fault.status} (POST /fault)`)] }, headers);
      return;
    }
    const errors = validateMailSend(body);
    if (errors.length > 0) {
      sendJson(response, 400, { errors });
      return;
    }
    // receivedAt last, so a body field of that name cannot pass for ours.
    const message = { ...body, receivedAt: new Date().toISOString() };
    received.push(message);
    response.writeHead(202, { 'content-length': 0 });
    response.end();
    onMessage?.(structuredClone(message));
  }

  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://sink.invalid');
    const route = `${request.method} ${pathname}`;
    if (route === 'POST /v3/mail/send') {
      handleSend(request, response).catch(() => {
        if (!response.headersSent) sendJson(response, 400, { errors: [error('Bad Request')] });
        else response.destroy();
      });
      return;
    }
    if (route === 'POST /fault') {
      handleFault(request, response).catch(() => {
        if (!response.headersSent) sendJson(response, 400, { errors: [error('Bad Request')] });
        else response.destroy();
      });
      return;
    }
    request.resume();
    if (route === 'GET /fault') {
      sendJson(response, 200, faults);
    } else if (route === 'DELETE /fault') {
      faults = [];
      response.writeHead(204);
      response.end();
    } else if (route === 'GET /messages') {
      sendJson(response, 200, received);
    } else if (route === 'DELETE /messages') {
      received = [];
      response.writeHead(204);
      response.end();
    } else {
      sendJson(response, 404, { errors: [error(`Not found: ${request.method} ${pathname}`)] });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    /** Copies of the accepted messages, oldest first. */
    messages: () => structuredClone(received),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((closeError) => (closeError ? reject(closeError) : resolve()));
        server.closeAllConnections();
      }),
  };
}
