// The coop command line on the database of a running server: migrate, demo, user create /
// set-password / set-role; their effect is visible through the API at once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, COOP_BIN, ENGINE, DEMO, expectStatus, expectError, randomId } from './harness.mjs';

describe(`coop CLI next to a running server [${ENGINE}]`, () => {
  let server;
  // --database belongs to the main command, before the subcommand.
  const coop = (...args) => {
    const r = spawnSync(COOP_BIN, ['--database', server.db.url, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, COOP_FAST_PASSWORD_HASH: '1' },
      timeout: 30_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.dispose();
  });

  it('`coop migrate` on an up-to-date database changes nothing; `coop demo` does not load twice', async () => {
    const m = coop('migrate');
    assert.equal(m.code, 0, m.err);
    assert.match(m.out, /version \d+/);
    const d = coop('demo');
    assert.equal(d.code, 0, d.err);
    assert.match(d.out, /rien n'a été chargé/);
    const admin = await server.login(DEMO.admin);
    assert.equal(expectStatus(await admin.get('/api/users?q=coop.example'), 200).json.total, 11); // the demo accounts (README)
  });

  it('`coop user create` makes an account that logs in through the API; duplicates and short passwords are refused', async () => {
    const email = `cli.${randomId()}@exemple.fr`;
    const r = coop('user', 'create', '--email', email, '--nom', 'Ligne', '--prenom', 'Commande', '--role', 'admin', '--password', 'mot-de-passe-cli');
    assert.equal(r.code, 0, r.err);
    const c = await server.login(email, 'mot-de-passe-cli');
    assert.deepEqual(c.user.roles, [{ role: 'admin', structure_id: null, conseiller_numerique: false, territoire: null }]);
    expectStatus(await c.get('/api/audit?per_page=1'), 200, 'the CLI-made admin is an admin');

    const dup = coop('user', 'create', '--email', email.toUpperCase(), '--nom', 'X', '--password', 'mot-de-passe-cli');
    assert.equal(dup.code, 1);
    assert.match(dup.err, /existe déjà/);
    const short = coop('user', 'create', '--email', `court.${randomId()}@exemple.fr`, '--nom', 'X', '--password', 'court');
    assert.equal(short.code, 1);
    assert.match(short.err, /12 caractères/);
    const gest = coop('user', 'create', '--email', `g.${randomId()}@exemple.fr`, '--nom', 'X', '--password', 'mot-de-passe-cli', '--role', 'gestionnaire_structure');
    assert.equal(gest.code, 1, 'a gestionnaire needs --structure');
  });

  it('`coop user set-password` changes the password and closes the sessions', async () => {
    const email = `mdp.${randomId()}@exemple.fr`;
    assert.equal(coop('user', 'create', '--email', email, '--nom', 'Mdp', '--password', 'ancien-mot-de-passe').code, 0);
    const c = await server.login(email, 'ancien-mot-de-passe');
    const r = coop('user', 'set-password', '--email', email, '--password', 'nouveau-mot-de-passe');
    assert.equal(r.code, 0, r.err);
    expectError(await c.get('/api/me'), 401, 'non_authentifie');
    expectError(await server.client().post('/api/auth/login', { json: { email, password: 'ancien-mot-de-passe' } }), 401);
    await server.client().login(email, 'nouveau-mot-de-passe');
    assert.equal(coop('user', 'set-password', '--email', 'personne@exemple.fr', '--password', 'nouveau-mot-de-passe').code, 1);
  });

  it('`coop user set-role` grants and removes roles, effective in open sessions', async () => {
    const m = await server.login(DEMO.lyon);
    expectError(await m.get('/api/equipe'), 403);
    const g = coop('user', 'set-role', '--email', DEMO.lyon, '--role', 'coordinateur');
    assert.equal(g.code, 0, g.err);
    expectStatus(await m.get('/api/equipe'), 200);
    const r = coop('user', 'set-role', '--email', DEMO.lyon, '--role', 'coordinateur', '--remove');
    assert.equal(r.code, 0, r.err);
    expectError(await m.get('/api/equipe'), 403);
    const bad = coop('user', 'set-role', '--email', DEMO.lyon, '--role', 'gestionnaire_structure', '--structure', '999999');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /structure inconnue/);
    assert.equal(coop('user', 'set-role', '--email', DEMO.lyon, '--role', 'roi').code, 1);
    assert.deepEqual(expectStatus(await m.get('/api/me'), 200).json.roles.map((x) => x.role), ['mediateur']);
  });

  it('`coop routes` prints JSON; `coop --version` and `coop` without a subcommand behave', () => {
    const r = spawnSync(COOP_BIN, ['routes'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.ok(JSON.parse(r.stdout).length > 0);
    const v = spawnSync(COOP_BIN, ['--version'], { encoding: 'utf8' });
    assert.equal(v.status, 0);
    assert.match(v.stdout, /^coop /);
    const none = spawnSync(COOP_BIN, [], { encoding: 'utf8' });
    assert.notEqual(none.status, 0, 'a subcommand is required');
  });
});
