// Profile, users and roles, structures, employments, teams, invitations, audit log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, ENGINE, DEMO, DEMO_PASSWORD, DEMO_STRUCTURES, expectStatus, expectError, allPages,
  randomSiret, breakSiret, randomId, todayParis,
} from './harness.mjs';

describe(`accounts, structures, teams, invitations [${ENGINE}]`, () => {
  let server, admin;
  const sid = {}; // demo structure ids by key of DEMO_STRUCTURES
  const uid = {}; // demo user ids by key of DEMO

  before(async () => {
    server = await startServer();
    admin = await server.login(DEMO.admin);
    const structures = await allPages(admin, '/api/structures');
    for (const [k, nom] of Object.entries(DEMO_STRUCTURES)) {
      const s = structures.find((x) => x.nom === nom);
      assert.ok(s, `demo structure ${nom}`);
      sid[k] = s.id;
    }
    const users = await allPages(admin, '/api/users');
    for (const [k, email] of Object.entries(DEMO)) {
      const u = users.find((x) => x.email === email);
      assert.ok(u, `demo user ${email}`);
      uid[k] = u.id;
    }
  });
  after(async () => {
    await server?.dispose();
  });

  describe('profile', () => {
    it('PATCH /api/me with an invalid phone → 400 fields.telephone and nothing changes', async () => {
      const c = await server.login(DEMO.lyon);
      const before = expectStatus(await c.get('/api/me'), 200).json;
      const r = await c.patch('/api/me', { json: { nom: 'Changé', telephone: '06 12 ab 56 78' } });
      expectError(r, 400, 'validation', ['telephone']);
      assert.equal(r.json.error.fields.nom, undefined);
      const after = expectStatus(await c.get('/api/me'), 200).json;
      assert.deepEqual(after, before);
      for (const bad of ['12345', '0612345678901', '+33', 'zéro six']) {
        expectError(await c.patch('/api/me', { json: { telephone: bad } }), 400, 'validation', ['telephone'], bad);
      }
      assert.deepEqual(expectStatus(await c.get('/api/me'), 200).json, before);
    });

    it('PATCH /api/me updates and normalises the phone (+33 → 0X XX XX XX XX); an empty phone clears it', async () => {
      const c = await server.login(DEMO.lyon);
      const r = expectStatus(await c.patch('/api/me', { json: { prenom: 'Karim-Ali', telephone: '+33 6 11 22 33 44' } }), 200);
      assert.equal(r.json.prenom, 'Karim-Ali');
      assert.equal(r.json.telephone, '06 11 22 33 44');
      assert.equal(r.json.nom, 'Benali', 'fields not sent are kept');
      assert.equal(expectStatus(await c.get('/api/me'), 200).json.telephone, '06 11 22 33 44');
      const cleared = expectStatus(await c.patch('/api/me', { json: { telephone: '' } }), 200);
      assert.equal(cleared.json.telephone, null);
    });

    it('PATCH /api/me to an e-mail already used → 409 with fields.email; an invalid e-mail → 400', async () => {
      const c = await server.login(DEMO.lyon);
      const dup = await c.patch('/api/me', { json: { email: DEMO.mediatrice.toUpperCase() } });
      expectError(dup, 409, 'doublon', ['email']);
      expectError(await c.patch('/api/me', { json: { email: 'pas-une-adresse' } }), 400, 'validation', ['email']);
      assert.equal(expectStatus(await c.get('/api/me'), 200).json.email, DEMO.lyon);
    });

    it('PATCH /api/me cannot grant roles or re-enable itself (unknown fields are ignored)', async () => {
      const c = await server.login(DEMO.lyon);
      const r = expectStatus(await c.patch('/api/me', { json: { roles: [{ role: 'admin' }], disabled: false, id: 1 } }), 200);
      assert.deepEqual(r.json.roles.map((g) => g.role), ['mediateur']);
      assert.equal(r.json.id, uid.lyon);
    });
  });

  describe('users and roles (admin)', () => {
    it('GET /api/users filters by role and by text; the page reports its total', async () => {
      const r = expectStatus(await admin.get('/api/users?role=coordinateur'), 200);
      assert.ok(r.json.items.length >= 1);
      assert.ok(r.json.items.every((u) => u.roles.some((g) => g.role === 'coordinateur')));
      assert.equal(r.json.page, 1);
      const q = expectStatus(await admin.get('/api/users?q=rossi'), 200);
      assert.deepEqual(q.json.items.map((u) => u.email), [DEMO.marseille]);
      const page = expectStatus(await admin.get('/api/users?per_page=3&page=2'), 200);
      assert.equal(page.json.per_page, 3);
      assert.equal(page.json.page, 2);
      assert.equal(page.json.items.length, 3);
      assert.ok(page.json.total >= 10);
      expectError(await admin.get('/api/users?role=roi'), 400, 'validation', ['role']);
      expectError(await admin.get('/api/users?per_page=1000'), 400, 'validation', ['per_page']);
    });

    it('POST /api/users creates an account that can log in; a duplicate e-mail → 409', async () => {
      const email = `cree.${randomId()}@exemple.fr`;
      const r = await admin.post('/api/users', {
        json: { email, nom: 'Nouveau', prenom: 'Compte', password: 'mot-de-passe-initial', roles: [{ role: 'mediateur', conseiller_numerique: true }] },
      });
      expectStatus(r, 201);
      assert.equal(r.json.email, email);
      assert.deepEqual(r.json.roles, [{ role: 'mediateur', structure_id: null, conseiller_numerique: true, territoire: null }]);
      const c = server.client();
      await c.login(email, 'mot-de-passe-initial');
      const dup = await admin.post('/api/users', { json: { email: email.toUpperCase(), nom: 'X', prenom: 'Y' } });
      expectError(dup, 409, 'doublon', ['email']);
    });

    it('POST /api/users validates roles (gestionnaire needs an existing structure; cn only for mediateur)', async () => {
      const base = { email: `r.${randomId()}@exemple.fr`, nom: 'Rôles', prenom: 'Test' };
      expectError(await admin.post('/api/users', { json: { ...base, roles: [{ role: 'gestionnaire_structure' }] } }), 400, 'validation', ['roles']);
      expectError(await admin.post('/api/users', { json: { ...base, roles: [{ role: 'gestionnaire_structure', structure_id: 999999 }] } }), 400, 'validation', ['roles']);
      expectError(await admin.post('/api/users', { json: { ...base, roles: [{ role: 'coordinateur', conseiller_numerique: true }] } }), 400, 'validation', ['roles']);
      expectError(await admin.post('/api/users', { json: { ...base, roles: [{ role: 'territorial' }] } }), 400, 'validation', ['roles']);
      expectError(await admin.post('/api/users', { json: { ...base, password: 'court' } }), 400, 'validation', ['password']);
      expectStatus(await admin.get(`/api/users?q=${encodeURIComponent(base.email)}`), 200);
      assert.equal((await admin.get(`/api/users?q=${encodeURIComponent(base.email)}`)).json.total, 0, 'nothing created');
    });

    it('PUT /api/users/{id}/roles replaces the roles; the user sees them at once; an admin cannot drop their own admin role', async () => {
      const c = await server.login(DEMO.marseille);
      const r = expectStatus(await admin.put(`/api/users/${uid.marseille}/roles`, {
        json: { roles: [{ role: 'mediateur', conseiller_numerique: false }, { role: 'gestionnaire_structure', structure_id: sid.belledemai }] },
      }), 200);
      assert.deepEqual(new Set(r.json.roles.map((g) => g.role)), new Set(['mediateur', 'gestionnaire_structure']));
      const me = expectStatus(await c.get('/api/me'), 200).json;
      assert.ok(me.roles.some((g) => g.role === 'gestionnaire_structure' && g.structure_id === sid.belledemai));
      expectStatus(await c.get(`/api/structures/${sid.belledemai}/employes`), 200, 'new role effective in the same session');
      expectError(await admin.put(`/api/users/${admin.user.id}/roles`, { json: { roles: [{ role: 'mediateur' }] } }), 400, 'validation', ['roles']);
      expectError(await admin.put('/api/users/999999/roles', { json: { roles: [] } }), 404);
      expectError(await admin.put(`/api/users/${uid.marseille}/roles`, { json: { roles: [{ role: 'mediateur' }, { role: 'mediateur' }] } }), 400, 'validation', ['roles']);
    });

    it('GET /api/users/{id} with an unknown or non-numeric id → 404', async () => {
      expectError(await admin.get('/api/users/999999'), 404);
      expectError(await admin.get('/api/users/abc'), 404);
      expectError(await admin.get('/api/users/-1'), 404);
    });
  });

  describe('structures', () => {
    it('POST /api/structures with an invalid SIRET → 400 fields.siret; nothing created', async () => {
      const siret = randomSiret();
      const bad = breakSiret(siret);
      const r = await admin.post('/api/structures', { json: { nom: 'Structure au SIRET faux', siret: bad, adresse: '1 rue X', commune_insee: '69123' } });
      expectError(r, 400, 'validation', ['siret']);
      for (const s of ['1234', '1234567890123a', '123456789012345']) {
        expectError(await admin.post('/api/structures', { json: { nom: 'X', siret: s, commune_insee: '69123' } }), 400, 'validation', ['siret'], s);
      }
      const list = expectStatus(await admin.get(`/api/structures?q=${bad}`), 200);
      assert.equal(list.json.total, 0);
    });

    it('POST /api/structures with a valid SIRET and commune 69123 → 201 with commune_nom "Lyon"; duplicate SIRET → 409', async () => {
      const siret = randomSiret();
      const r = await admin.post('/api/structures', {
        json: { nom: 'Espace numérique de la Croix-Rousse', siret: siret.replace(/(\d{3})(\d{3})(\d{3})(\d{5})/, '$1 $2 $3 $4'), adresse: '10 place de la Croix-Rousse', commune_insee: '69123' },
      });
      expectStatus(r, 201);
      assert.equal(r.json.siret, siret, 'SIRET normalised (spaces removed)');
      assert.equal(r.json.commune_insee, '69123');
      assert.equal(r.json.commune_nom, 'Lyon');
      assert.match(r.json.code_postal, /^690\d\d$/);
      assert.equal(r.json.nom, 'Espace numérique de la Croix-Rousse');
      assert.ok(r.json.id > 0 && r.json.created_at);
      const got = expectStatus(await admin.get(`/api/structures/${r.json.id}`), 200);
      assert.deepEqual(got.json, r.json);
      const dup = await admin.post('/api/structures', { json: { nom: 'Doublon', siret, commune_insee: '75056' } });
      expectError(dup, 409);
      assert.equal(dup.json.error.code, 'doublon');
    });

    it('POST /api/structures: unknown commune → 400 fields.commune_insee; missing nom → fields.nom; no SIRET is allowed', async () => {
      expectError(await admin.post('/api/structures', { json: { nom: 'X', commune_insee: '00000' } }), 400, 'validation', ['commune_insee']);
      expectError(await admin.post('/api/structures', { json: { nom: 'X', commune_insee: 'abcde' } }), 400, 'validation', ['commune_insee']);
      expectError(await admin.post('/api/structures', { json: { commune_insee: '69123' } }), 400, 'validation', ['nom']);
      const r = expectStatus(await admin.post('/api/structures', { json: { nom: 'Sans SIRET', commune_insee: '2A004' } }), 201);
      assert.equal(r.json.siret, null);
      assert.equal(r.json.commune_nom, 'Ajaccio');
    });

    it('only an admin creates structures', async () => {
      const g = await server.login(DEMO.gestion);
      expectError(await g.post('/api/structures', { json: { nom: 'X', commune_insee: '69123' } }), 403, 'acces_refuse');
    });

    it('GET /api/structures: admin sees all, a gestionnaire and an employee only theirs', async () => {
      const all = await allPages(admin, '/api/structures');
      assert.ok(all.length >= 5);
      const g = await server.login(DEMO.gestion);
      const gl = expectStatus(await g.get('/api/structures'), 200).json;
      assert.deepEqual(gl.items.map((s) => s.id), [sid.bachut]);
      assert.equal(gl.total, 1);
      const m = await server.login(DEMO.stetienne);
      assert.deepEqual(expectStatus(await m.get('/api/structures'), 200).json.items.map((s) => s.id), [sid.connexions]);
      expectStatus(await m.get(`/api/structures/${sid.connexions}`), 200);
      expectError(await m.get(`/api/structures/${sid.bachut}`), 403, 'acces_refuse');
      // A former employee (contract ended) no longer sees the structure.
      const former = await server.login(DEMO.ancien);
      expectError(await former.get(`/api/structures/${sid.connexions}`), 403, 'acces_refuse');
      expectError(await admin.get('/api/structures/999999'), 404);
    });

    it('PATCH /api/structures/{id}: its gestionnaire may, another structure → 403', async () => {
      const g = await server.login(DEMO.gestion);
      const r = expectStatus(await g.patch(`/api/structures/${sid.bachut}`, { json: { adresse: '3 place du 11 Novembre 1918' } }), 200);
      assert.equal(r.json.adresse, '3 place du 11 Novembre 1918');
      assert.equal(r.json.nom, DEMO_STRUCTURES.bachut);
      expectError(await g.patch(`/api/structures/${sid.connexions}`, { json: { adresse: 'piratée' } }), 403, 'acces_refuse');
      const other = expectStatus(await admin.get(`/api/structures/${sid.connexions}`), 200).json;
      assert.notEqual(other.adresse, 'piratée');
      expectError(await g.patch(`/api/structures/${sid.bachut}`, { json: { siret: '123' } }), 400, 'validation', ['siret']);
    });
  });

  describe('employments', () => {
    it('a gestionnaire lists, adds, ends and resumes employments of their structure', async () => {
      const g = await server.login(DEMO.gestion);
      const list = expectStatus(await g.get(`/api/structures/${sid.bachut}/employes`), 200).json.items;
      const emails = list.map((e) => e.user.email);
      for (const e of [DEMO.gestion, DEMO.coordination, DEMO.mediatrice, DEMO.lyon]) assert.ok(emails.includes(e), e);
      assert.ok(list.every((e) => e.structure_id === sid.bachut && e.structure_nom === DEMO_STRUCTURES.bachut));

      // Pierre (Tulle) gets a contract at the Bachut too.
      const tulle = await server.login(DEMO.tulle);
      expectError(await tulle.get(`/api/structures/${sid.bachut}`), 403, 'acces_refuse');
      const created = await g.post(`/api/structures/${sid.bachut}/employes`, { json: { user_id: uid.tulle, debut: '2025-01-06' } });
      expectStatus(created, 201);
      assert.equal(created.json.user_id, uid.tulle);
      assert.equal(created.json.user.email, DEMO.tulle);
      assert.equal(created.json.debut, '2025-01-06');
      assert.equal(created.json.fin, null);
      const eid = created.json.id;
      expectStatus(await tulle.get(`/api/structures/${sid.bachut}`), 200, 'an employee sees their structure');
      assert.ok(expectStatus(await tulle.get('/api/structures'), 200).json.items.some((s) => s.id === sid.bachut));

      expectError(await g.patch(`/api/structures/${sid.bachut}/employes/${eid}`, { json: { fin: '2024-12-31' } }), 400, 'validation', ['fin']);
      expectError(await g.patch(`/api/structures/${sid.bachut}/employes/${eid}`, { json: { fin: '31/12/2025' } }), 400, 'validation', ['fin']);
      const ended = expectStatus(await g.patch(`/api/structures/${sid.bachut}/employes/${eid}`, { json: { fin: todayParis(-1) } }), 200);
      assert.equal(ended.json.fin, todayParis(-1));
      assert.equal(ended.json.debut, '2025-01-06');
      expectError(await tulle.get(`/api/structures/${sid.bachut}`), 403, 'acces_refuse', [], 'a contract that ended yesterday gives no access');
      const resumed = expectStatus(await g.patch(`/api/structures/${sid.bachut}/employes/${eid}`, { json: { fin: null } }), 200);
      assert.equal(resumed.json.fin, null);
      expectStatus(await tulle.get(`/api/structures/${sid.bachut}`), 200);
    });

    it('employment validation: bad dates, unknown user, unknown employment', async () => {
      const g = await server.login(DEMO.gestion);
      expectError(await g.post(`/api/structures/${sid.bachut}/employes`, { json: { user_id: uid.tulle, debut: 'hier' } }), 400, 'validation', ['debut']);
      expectError(await g.post(`/api/structures/${sid.bachut}/employes`, { json: { user_id: uid.tulle, debut: '2025-02-30' } }), 400, 'validation', ['debut']);
      expectError(await g.post(`/api/structures/${sid.bachut}/employes`, { json: { user_id: uid.tulle, debut: '2025-03-01', fin: '2025-02-01' } }), 400, 'validation', ['fin']);
      expectError(await g.post(`/api/structures/${sid.bachut}/employes`, { json: { user_id: 999999, debut: '2025-03-01' } }), 400, 'validation', ['user_id']);
      expectError(await g.post(`/api/structures/${sid.bachut}/employes`, { json: { debut: '2025-03-01' } }), 400, 'validation', ['user_id']);
      expectError(await g.patch(`/api/structures/${sid.bachut}/employes/999999`, { json: {} }), 404);
      // An employment of another structure addressed through mine → 404, not a silent edit.
      const other = expectStatus(await admin.get(`/api/structures/${sid.connexions}/employes`), 200).json.items[0];
      expectError(await g.patch(`/api/structures/${sid.bachut}/employes/${other.id}`, { json: { fin: '2025-12-31' } }), 404);
    });

    it("a gestionnaire cannot see or change another structure's employments (403); an admin can", async () => {
      const g = await server.login(DEMO.gestion);
      expectError(await g.get(`/api/structures/${sid.connexions}/employes`), 403, 'acces_refuse');
      expectError(await g.post(`/api/structures/${sid.connexions}/employes`, { json: { user_id: uid.tulle, debut: '2025-01-01' } }), 403, 'acces_refuse');
      const other = expectStatus(await admin.get(`/api/structures/${sid.connexions}/employes`), 200).json.items[0];
      expectError(await g.patch(`/api/structures/${sid.connexions}/employes/${other.id}`, { json: { fin: '2025-12-31' } }), 403, 'acces_refuse');
      const m = await server.login(DEMO.mediatrice);
      expectError(await m.get(`/api/structures/${sid.bachut}/employes`), 403, 'acces_refuse');
    });
  });

  describe('teams', () => {
    it('the coordinator sees their team (current and former members)', async () => {
      const c = await server.login(DEMO.coordination);
      const items = expectStatus(await c.get('/api/equipe'), 200).json.items;
      const current = items.filter((m) => m.fin === null).map((m) => m.mediateur.email).sort();
      assert.deepEqual(current, [DEMO.lyon, DEMO.mediatrice, DEMO.rennes, DEMO.stetienne].sort());
      const former = items.filter((m) => m.fin !== null);
      assert.equal(former.length, 1);
      assert.equal(former[0].mediateur.email, DEMO.ancien);
      assert.equal(former[0].fin, '2025-06-30');
      assert.ok(items.every((m) => m.coordinateur_id === uid.coordination));
    });

    it('add a member → 201; twice → 409; a non-mediateur → 400 fields.mediateur_id; end and resume', async () => {
      const c = await server.login(DEMO.coordination);
      const added = await c.post('/api/equipe/membres', { json: { mediateur_id: uid.tulle, debut: todayParis() } });
      expectStatus(added, 201);
      assert.equal(added.json.mediateur.id, uid.tulle);
      assert.equal(added.json.debut, todayParis());
      assert.equal(added.json.fin, null);
      expectError(await c.post('/api/equipe/membres', { json: { mediateur_id: uid.tulle } }), 409, 'doublon', ['mediateur_id']);
      expectError(await c.post('/api/equipe/membres', { json: { mediateur_id: uid.gestion } }), 400, 'validation', ['mediateur_id']);
      expectError(await c.post('/api/equipe/membres', { json: { mediateur_id: 999999 } }), 400, 'validation', ['mediateur_id']);
      expectError(await c.post('/api/equipe/membres', { json: { mediateur_id: uid.tulle, debut: 'demain' } }), 400, 'validation', ['debut']);

      const ended = expectStatus(await c.patch(`/api/equipe/membres/${added.json.id}`, { json: { fin: todayParis() } }), 200);
      assert.equal(ended.json.fin, todayParis());
      const items = expectStatus(await c.get('/api/equipe'), 200).json.items;
      assert.equal(items.find((m) => m.id === added.json.id).fin, todayParis());
      expectError(await c.patch(`/api/equipe/membres/${added.json.id}`, { json: { fin: '2000-01-01' } }), 400, 'validation', ['fin']);
      const resumed = expectStatus(await c.patch(`/api/equipe/membres/${added.json.id}`, { json: { fin: null } }), 200);
      assert.equal(resumed.json.fin, null);
      expectError(await c.patch('/api/equipe/membres/999999', { json: {} }), 404);
    });

    it("a coordinator cannot touch another coordinator's team member (403); a mediateur has no team (403)", async () => {
      const email = `coord2.${randomId()}@exemple.fr`;
      expectStatus(await admin.post('/api/users', {
        json: { email, nom: 'Deux', prenom: 'Coordo', password: 'mot-de-passe-coordo', roles: [{ role: 'coordinateur' }] },
      }), 201);
      const c2 = await server.login(email, 'mot-de-passe-coordo');
      const m = expectStatus(await c2.post('/api/equipe/membres', { json: { mediateur_id: uid.marseille } }), 201).json;
      const c1 = await server.login(DEMO.coordination);
      expectError(await c1.patch(`/api/equipe/membres/${m.id}`, { json: { fin: todayParis() } }), 403, 'acces_refuse');
      assert.equal(expectStatus(await c2.get('/api/equipe'), 200).json.items[0].fin, null, 'unchanged');
      assert.ok(!expectStatus(await c1.get('/api/equipe'), 200).json.items.some((x) => x.id === m.id), "not in c1's team");
      const med = await server.login(DEMO.mediatrice);
      expectError(await med.get('/api/equipe'), 403, 'acces_refuse');
    });

    // (was a bug on PostgreSQL: check-then-insert in READ COMMITTED without a unique index)
    it('concurrent adds of one mediator to a team: exactly one current membership', async () => {
      const c = await server.login(DEMO.coordination);
      for (let round = 0; round < 5; round++) {
        const u = expectStatus(await admin.post('/api/users', {
          json: { email: `concurrent.${randomId()}@exemple.fr`, nom: 'Concurrent', prenom: `N${round}`, roles: [{ role: 'mediateur' }] },
        }), 201).json;
        const rs = await Promise.all(Array.from({ length: 8 }, () => c.post('/api/equipe/membres', { json: { mediateur_id: u.id } })));
        const statuses = rs.map((r) => r.status).sort();
        assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], `round ${round}: ${statuses}`);
        const current = expectStatus(await c.get('/api/equipe'), 200).json.items.filter((m) => m.mediateur.id === u.id && m.fin === null);
        assert.equal(current.length, 1, `round ${round}: ${current.length} current memberships`);
      }
    });

    it('concurrent creations with one SIRET: one 201, the others 409 doublon', async () => {
      const siret = randomSiret();
      const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        admin.post('/api/structures', { json: { nom: `Concurrente ${i}`, siret, commune_insee: '69123' } })));
      assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of rs) if (r.status === 409) assert.equal(r.json.error.code, 'doublon');
    });

    it('GET /api/mediateurs lists mediators (with conseiller_numerique) for people managers', async () => {
      const c = await server.login(DEMO.coordination);
      const r = expectStatus(await c.get('/api/mediateurs?q=ma'), 200).json;
      assert.ok(r.items.length >= 1);
      const all = await allPages(c, '/api/mediateurs');
      const mae = all.find((p) => p.email === DEMO.mediatrice);
      assert.ok(mae);
      assert.equal(mae.conseiller_numerique, true);
      assert.ok(!all.some((p) => p.email === DEMO.gestion), 'a gestionnaire is not a mediator');
    });
  });

  describe('invitations', () => {
    async function invite(who, body) {
      const r = await who.post('/api/invitations', { json: body });
      expectStatus(r, 201);
      const m = /^(.*)\/invitation\/([A-Za-z0-9_-]+)$/.exec(r.json.lien);
      assert.ok(m, `lien: ${r.json.lien}`);
      assert.equal(m[1], server.baseUrl, 'the link is built on the public URL');
      return { ...r.json, token: m[2] };
    }

    it('admin invites → link → public GET → short password 400 → accept → logged in with the role → second accept 410', async () => {
      const email = `invitee.${randomId()}@exemple.fr`;
      const inv = await invite(admin, { email: email.toUpperCase(), role: 'mediateur', structure_id: sid.bachut, conseiller_numerique: true });
      assert.equal(inv.email, email, 'e-mail normalised');
      assert.equal(inv.role, 'mediateur');
      assert.equal(inv.structure_id, sid.bachut);
      assert.equal(inv.structure_nom, DEMO_STRUCTURES.bachut);
      assert.equal(inv.conseiller_numerique, true);
      assert.equal(inv.invited_by.id, admin.user.id);
      assert.equal(inv.accepted_at, null);
      assert.ok(inv.expires_at > inv.created_at);

      const anon = server.client();
      const pub = expectStatus(await anon.get(`/api/invitations/${inv.token}`), 200).json;
      assert.equal(pub.email, email);
      assert.equal(pub.role, 'mediateur');
      assert.equal(pub.structure_nom, DEMO_STRUCTURES.bachut);
      assert.equal(pub.lien, undefined, 'the link is only in the creation response');

      const short = await anon.post(`/api/invitations/${inv.token}/accept`, { json: { nom: 'Invitée', prenom: 'Zoé', password: 'court' } });
      expectError(short, 400, 'validation', ['password']);
      expectError(await anon.post(`/api/invitations/${inv.token}/accept`, { json: { password: 'un mot de passe assez long' } }), 400, 'validation', ['nom', 'prenom']);
      expectStatus(await anon.get(`/api/invitations/${inv.token}`), 200, 'still usable after failed attempts');

      const ok = await anon.post(`/api/invitations/${inv.token}/accept`, {
        json: { nom: 'Invitée', prenom: 'Zoé', telephone: '07 00 00 00 01', password: 'un mot de passe assez long' },
      });
      expectStatus(ok, 200);
      assert.equal(ok.json.email, email);
      assert.deepEqual(ok.json.roles, [{ role: 'mediateur', structure_id: null, conseiller_numerique: true, territoire: null }]);
      assert.ok(ok.setCookies.some((s) => s.startsWith('coop_session=') && /HttpOnly/i.test(s)));
      const me = expectStatus(await anon.get('/api/me'), 200).json;
      assert.equal(me.email, email);
      assert.equal(me.nom, 'Invitée');
      // The invitation into a structure made an employment there.
      assert.ok(expectStatus(await anon.get('/api/structures'), 200).json.items.some((s) => s.id === sid.bachut));

      const again = await server.client().post(`/api/invitations/${inv.token}/accept`, { json: { nom: 'X', prenom: 'Y', password: 'un autre mot de passe long' } });
      expectError(again, 410, 'invitation_utilisee');
      expectError(await server.client().get(`/api/invitations/${inv.token}`), 410, 'invitation_utilisee');
      // The new account logs in with its password.
      await server.client().login(email, 'un mot de passe assez long');
      // The inviter's list shows it accepted.
      const mine = expectStatus(await admin.get('/api/invitations'), 200).json.items.find((i) => i.id === inv.id);
      assert.ok(mine.accepted_at);
    });

    it('unknown invitation token → 404 invitation_inconnue', async () => {
      expectError(await server.client().get('/api/invitations/pas-un-vrai-jeton'), 404, 'invitation_inconnue');
      expectError(await server.client().get(`/api/invitations/${'x'.repeat(300)}`), 404, 'invitation_inconnue');
      const r = await server.client().post('/api/invitations/pas-un-vrai-jeton/accept', { json: { nom: 'X', prenom: 'Y', password: 'un mot de passe assez long' } });
      expectError(r, 404, 'invitation_inconnue');
    });

    it('a gestionnaire invites into their own structure only (another structure → 403; admin role → 403)', async () => {
      const g = await server.login(DEMO.gestion);
      const other = await g.post('/api/invitations', { json: { email: `x.${randomId()}@exemple.fr`, role: 'mediateur', structure_id: sid.connexions } });
      expectError(other, 403, 'acces_refuse');
      const adm = await g.post('/api/invitations', { json: { email: `x.${randomId()}@exemple.fr`, role: 'admin' } });
      expectError(adm, 403, 'acces_refuse');
      const gest = await g.post('/api/invitations', { json: { email: `x.${randomId()}@exemple.fr`, role: 'gestionnaire_structure', structure_id: sid.bachut } });
      expectError(gest, 403, 'acces_refuse');
      const none = await g.post('/api/invitations', { json: { email: `x.${randomId()}@exemple.fr`, role: 'mediateur' } });
      expectError(none, 403, 'acces_refuse', [], 'a gestionnaire must name their structure');
      const mine = await invite(g, { email: `x.${randomId()}@exemple.fr`, role: 'coordinateur', structure_id: sid.bachut });
      assert.equal(mine.invited_by.id, uid.gestion);
      // Their list has only the invitations they sent; the admin sees all of them.
      const gl = expectStatus(await g.get('/api/invitations'), 200).json.items;
      assert.ok(gl.length >= 2, 'the demo invitation + this one');
      assert.ok(gl.every((i) => i.invited_by.id === uid.gestion));
      const al = expectStatus(await admin.get('/api/invitations'), 200).json.items;
      assert.ok(al.some((i) => i.id === mine.id));
      assert.ok(al.length > gl.length);
    });

    it('invitation validation: bad e-mail, unknown role, gestionnaire without structure, cn on a non-mediateur', async () => {
      expectError(await admin.post('/api/invitations', { json: { email: 'nope', role: 'mediateur' } }), 400, 'validation', ['email']);
      expectError(await admin.post('/api/invitations', { json: { email: 'a@b.fr', role: 'empereur' } }), 400, 'validation', ['role']);
      expectError(await admin.post('/api/invitations', { json: { email: 'a@b.fr', role: 'gestionnaire_structure' } }), 400, 'validation', ['structure_id']);
      expectError(await admin.post('/api/invitations', { json: { email: 'a@b.fr', role: 'coordinateur', conseiller_numerique: true } }), 400, 'validation', ['conseiller_numerique']);
      expectError(await admin.post('/api/invitations', { json: { email: 'a@b.fr', role: 'mediateur', structure_id: 999999 } }), 400, 'validation', ['structure_id']);
      const m = await server.login(DEMO.mediatrice);
      expectError(await m.post('/api/invitations', { json: { email: 'a@b.fr', role: 'mediateur' } }), 403, 'acces_refuse');
    });

    it('a coordinator invites a mediator, who joins their team on acceptance', async () => {
      const c = await server.login(DEMO.coordination);
      const email = `recrue.${randomId()}@exemple.fr`;
      const inv = await invite(c, { email, role: 'mediateur' });
      expectError(await c.post('/api/invitations', { json: { email: `x.${randomId()}@exemple.fr`, role: 'coordinateur' } }), 403, 'acces_refuse');
      const anon = server.client();
      const me = expectStatus(await anon.post(`/api/invitations/${inv.token}/accept`, { json: { nom: 'Recrue', prenom: 'Léa', password: 'mot de passe de la recrue' } }), 200).json;
      const team = expectStatus(await c.get('/api/equipe'), 200).json.items;
      const m = team.find((x) => x.mediateur.id === me.id);
      assert.ok(m, 'the new mediator is in the team');
      assert.equal(m.fin, null);
    });

    it('an invitation for an existing account needs that account\'s password and adds the role', async () => {
      const inv = await invite(admin, { email: DEMO.stetienne, role: 'coordinateur' });
      const anon = server.client();
      const wrong = await anon.post(`/api/invitations/${inv.token}/accept`, { json: { nom: 'Martin', prenom: 'Inès', password: 'pas le bon mot de passe' } });
      expectError(wrong, 400, 'validation', ['password']);
      expectError(await anon.get('/api/me'), 401);
      const ok = expectStatus(await anon.post(`/api/invitations/${inv.token}/accept`, { json: { nom: 'Martin', prenom: 'Inès', password: DEMO_PASSWORD } }), 200).json;
      assert.equal(ok.id, uid.stetienne);
      assert.deepEqual(new Set(ok.roles.map((g) => g.role)), new Set(['mediateur', 'coordinateur']));
      expectStatus(await anon.get('/api/equipe'), 200, 'the new role works at once');
    });

    it('concurrent accepts of one invitation: exactly one succeeds', async () => {
      const inv = await invite(admin, { email: `course.${randomId()}@exemple.fr`, role: 'mediateur' });
      const attempts = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        server.client().post(`/api/invitations/${inv.token}/accept`, { json: { nom: 'Course', prenom: `N${i}`, password: 'mot de passe de course' } })));
      const statuses = attempts.map((r) => r.status).sort();
      assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses}`);
      for (const r of attempts) if (r.status !== 200) assert.ok([409, 410].includes(r.status), `${r.status} ${r.text}`);
    });
  });

  describe('audit log', () => {
    it('the admin sees login_failed, login_succeeded and roles_changed events; others get 403', async () => {
      const target = uid.tulle;
      // (the rate-limit test of auth.test.mjs is another server: here Pierre has no failure yet)
      expectError(await server.client().post('/api/auth/login', { json: { email: DEMO.tulle, password: 'faux mot de passe' } }), 401, 'identifiants_invalides');
      await server.client().login(DEMO.tulle);
      expectStatus(await admin.put(`/api/users/${target}/roles`, { json: { roles: [{ role: 'mediateur', conseiller_numerique: true }] } }), 200);

      const events = await allPages(admin, `/api/audit?user_id=${target}`);
      const kinds = new Set(events.map((e) => e.event));
      for (const k of ['login_failed', 'login_succeeded', 'roles_changed']) assert.ok(kinds.has(k), `${k} in ${[...kinds]}`);
      const failed = events.find((e) => e.event === 'login_failed');
      assert.equal(failed.user_email, DEMO.tulle);
      assert.ok(failed.ip.includes('127.0.0.1'), `ip: ${failed.ip}`);
      assert.ok(failed.at);
      const roles = events.find((e) => e.event === 'roles_changed');
      assert.match(roles.detail, /mediateur/);
      assert.ok(events.every((e) => e.user_id === target));
      // Newest first.
      const ats = events.map((e) => e.at);
      assert.deepEqual([...ats].sort().reverse(), ats, 'audit entries are listed newest first');

      const unknown = await server.client().post('/api/auth/login', { json: { email: 'inconnu@exemple.fr', password: 'x-x-x-x-x-x' } });
      expectError(unknown, 401);
      const recent = expectStatus(await admin.get('/api/audit?per_page=20'), 200).json.items;
      assert.ok(recent.some((e) => e.event === 'login_failed' && e.user_email === 'inconnu@exemple.fr' && e.user_id === null));

      for (const who of [DEMO.gestion, DEMO.coordination, DEMO.mediatrice]) {
        const c = await server.login(who);
        expectError(await c.get('/api/audit'), 403, 'acces_refuse', [], who);
      }
    });
  });
});
