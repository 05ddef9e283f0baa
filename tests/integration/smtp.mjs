// A real SMTP server for the integration tests (tests/smtp/serveur.py, Debian python3-aiosmtpd),
// started and stopped by the test itself, and a reader of the messages it received.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, sleep } from './harness.mjs';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';  // Debian's, with aiosmtpd
const SCRIPT = path.join(REPO, 'tests/smtp/serveur.py');

export class SmtpServer {
  // `tls`: { mode: 'starttls'|'implicite', cert, key } (PEM files), see tests/smtp/serveur.py.
  constructor(port, dir, { user, password, tls } = {}) {
    this.port = port;
    this.dir = dir;
    this.auth = user ? ['--user', user, '--password', password ?? ''] : [];
    if (tls) this.auth.push('--tls', tls.mode, '--cert', tls.cert, '--key', tls.key);
    this.proc = null;
    this.log = '';
  }

  // Starts (or restarts, on the same port and directory) the server; resolves once it listens.
  async start() {
    const proc = spawn(PYTHON, [SCRIPT, '--port', String(this.port), '--dir', this.dir, ...this.auth], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.on('exit', resolve));
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`SMTP test server not ready on ${this.port}:\n${this.log}`)), 20_000);
      const sink = (chunk) => {
        this.log += chunk.toString();
        if (this.log.includes(`pret ${this.port}`)) {
          clearTimeout(t);
          resolve();
        }
      };
      proc.stdout.on('data', sink);
      proc.stderr.on('data', sink);
      proc.on('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`SMTP test server exited (${code}):\n${this.log}`));
      });
    });
    return this;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    this.proc.kill('SIGTERM');
    await this.exited;
    this.proc = null;
  }

  // Every message received so far, oldest first, parsed (parseMail).
  messages() {
    return fs.readdirSync(this.dir).filter((n) => n.endsWith('.eml')).sort()
      .map((n) => parseMail(fs.readFileSync(path.join(this.dir, n), 'latin1')));
  }

  pour(adresse) {
    return this.messages().filter((m) => m.to === adresse);
  }

  dispose() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// A server for `port` with a new mail directory, not started yet (start() it later).
export function newSmtp(port, auth) {
  return new SmtpServer(port, fs.mkdtempSync(path.join(os.tmpdir(), 'coop-smtp-')), auth);
}

export async function startSmtp(port, auth) {
  return newSmtp(port, auth).start();
}

// RFC 2047 encoded words (B and Q) of a header value, as UTF-8 text.
function decodeWords(v) {
  return v.replace(/\r?\n[ \t]/g, ' ').replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, enc, text) => enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function splitHeaders(raw) {
  const i = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, i);
  const body = raw.slice(i + 4);
  const headers = {};
  for (const line of head.split(/\r\n(?![ \t])/)) {
    const c = line.indexOf(':');
    headers[line.slice(0, c).toLowerCase()] = line.slice(c + 1).trim();
  }
  return { headers, body };
}

// A received message: { headers (raw), subject, from, to, contentType, parts: [{ type, text }], text, html }.
export function parseMail(raw) {
  const { headers, body } = splitHeaders(raw);
  const m = { raw, headers, subject: decodeWords(headers.subject || ''), from: decodeWords(headers.from || ''),
    to: headers.to, contentType: headers['content-type'] || '', parts: [] };
  const b = /boundary="([^"]+)"/.exec(m.contentType);
  if (b) {
    const chunks = body.split(`--${b[1]}`).slice(1, -1);
    for (const chunk of chunks) {
      const p = splitHeaders(chunk.replace(/^\r\n/, ''));
      const enc = (p.headers['content-transfer-encoding'] || '').toLowerCase();
      const bytes = enc === 'base64' ? Buffer.from(p.body.replace(/\s+/g, ''), 'base64') : Buffer.from(p.body, 'latin1');
      m.parts.push({ type: p.headers['content-type'], text: bytes.toString('utf8') });
    }
  }
  m.text = m.parts.find((p) => p.type?.startsWith('text/plain'))?.text;
  m.html = m.parts.find((p) => p.type?.startsWith('text/html'))?.text;
  return m;
}

// Polls `fn` until it returns a truthy value (correctness, not timing: the limit is generous).
export async function waitFor(fn, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
