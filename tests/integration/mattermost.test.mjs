// `coop import mattermost FILE`: a Mattermost bulk export written for this test, with every line
// type (version, team, channel, user, post with replies and reactions, direct_channel,
// direct_post, an ignored emoji line and broken lines), into a running Coop; what the demo users
// then see through the API; a second import changes nothing; the report names what was not mapped.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, ENGINE, DEMO, COOP_BIN, expectStatus, randomId } from './harness.mjs';

const t0 = Date.UTC(2024, 2, 12, 8, 15); // 12/03/2024 09:15 in Paris

function exportMattermost(tag) {
  const l = (type, o) => JSON.stringify({ type, [type]: o });
  const user = (username, email, channels) => l('user', {
    username, email, first_name: username, last_name: 'MM', roles: 'system_user',
    teams: [{ name: 'cnfs', roles: 'team_user', channels: channels.map(([name, roles = 'channel_user']) => ({ name, roles })) }],
  });
  return [
    JSON.stringify({ type: 'version', version: 1 }),
    l('emoji', { name: 'coop', image: 'data/emoji/coop.png' }),
    l('team', { name: 'cnfs', display_name: 'Conseillers numériques', type: 'O' }),
    l('channel', { team: 'cnfs', name: 'town-square', display_name: 'Accueil', type: 'O' }),
    l('channel', { team: 'cnfs', name: `ressourcerie-${tag}`, display_name: `Ressourcerie ${tag}`, type: 'O', purpose: 'Partager nos fiches' }),
    l('channel', { team: 'cnfs', name: `coordination-${tag}`, display_name: `Coordination ${tag}`, type: 'P' }),
    l('channel', { team: 'cnfs', name: '69-rhone', display_name: '69 - Rhône', type: 'P' }),
    user('maelle', DEMO.mediatrice, [['town-square'], [`ressourcerie-${tag}`, 'channel_user channel_admin'], [`coordination-${tag}`], ['69-rhone']]),
    user('camille', DEMO.coordination, [['town-square'], [`ressourcerie-${tag}`], [`coordination-${tag}`]]),
    user('inconnu', `inconnu.${tag}@exemple.fr`, [['town-square']]),
    l('post', {
      team: 'cnfs', channel: `ressourcerie-${tag}`, user: 'maelle', create_at: t0, is_pinned: true,
      message: `## Fiche ${tag} : créer une adresse électronique\nQui a une version **imprimable** ? @camille`,
      reactions: [{ user: 'camille', emoji_name: '+1', create_at: t0 + 1000 }],
      replies: [
        { user: 'camille', message: `Oui, voici la mienne pour les ateliers ${tag}`, create_at: t0 + 60_000,
          reactions: [{ user: 'maelle', emoji_name: 'heart', create_at: t0 + 61_000 }] },
        { user: 'inconnu', message: 'Moi aussi', create_at: t0 + 120_000 },
      ],
    }),
    l('post', { team: 'cnfs', channel: `ressourcerie-${tag}`, user: 'camille', create_at: t0 + 3_600_000, message: `Rappel ${tag} : réunion jeudi` }),
    l('post', { team: 'cnfs', channel: 'town-square', user: 'maelle', create_at: t0 + 7_200_000, message: `Bonjour à tous ${tag} @channel` }),
    l('post', { team: 'cnfs', channel: `coordination-${tag}`, user: 'camille', create_at: t0, message: `Point d'équipe ${tag}` }),
    l('post', { team: 'cnfs', channel: 'inexistant', user: 'maelle', create_at: t0, message: 'perdu' }),
    'ceci n\'est pas du JSON',
    l('direct_channel', { members: ['maelle', 'camille'] }),
    l('direct_post', { channel_members: ['camille', 'maelle'], user: 'camille', create_at: t0 + 5000, message: `Tu as vu la fiche ${tag} ?` }),
    l('direct_post', { channel_members: ['maelle', 'inconnu'], user: 'maelle', create_at: t0, message: 'non importé' }),
    // Attachments, relative to the export's folder: one found, one missing; a reply of files only.
    l('post', {
      team: 'cnfs', channel: `ressourcerie-${tag}`, user: 'maelle', create_at: t0 + 9_000_000, message: `Fiche PDF ${tag}`,
      attachments: [{ path: 'data/fiche.pdf' }, { path: 'data/absent.png' }],
      replies: [{ user: 'camille', message: '', create_at: t0 + 9_060_000, attachments: [{ path: 'data/photo.png' }] }],
    }),
    l('post', { team: 'cnfs', channel: `ressourcerie-${tag}`, user: 'camille', create_at: t0 + 9_100_000, message: `Hors ${tag}`, attachments: [{ path: '../secret.txt' }] }),
  ].join('\n') + '\n';
}

function importer(db, file) {
  const r = spawnSync(COOP_BIN, ['--database', db.url, 'import', 'mattermost', file], {
    encoding: 'utf8', timeout: 120_000,
    env: { PATH: process.env.PATH, ...(process.env.COOP_REFERENTIEL_DIR ? { COOP_REFERENTIEL_DIR: process.env.COOP_REFERENTIEL_DIR } : {}) },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe(`coop import mattermost [${ENGINE}]`, () => {
  let server, maelle, camille, dir, file, tag, premier;
  const pdf = `%PDF-1.4\n% fiche de test\n`;
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  before(async () => {
    server = await startServer();
    tag = randomId();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `coop-mm-${tag}-`));
    file = path.join(dir, 'export.jsonl');
    fs.writeFileSync(file, exportMattermost(tag));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'fiche.pdf'), pdf + tag);
    fs.writeFileSync(path.join(dir, 'data', 'photo.png'), png);
    premier = importer(server.db, file);
    maelle = await server.login(DEMO.mediatrice);
    camille = await server.login(DEMO.coordination);
  });
  after(async () => {
    await server?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports what it imported and what it could not map, line by line', () => {
    assert.match(premier, /21 ligne\(s\) lue\(s\) ; 2 compte\(s\) Coop retrouvé\(s\)/);
    assert.match(premier, /messages importés : 9 \(déjà là : 0\) ; réactions : 2 ; épinglés : 1 ; pièces jointes : 2/);
    assert.match(premier, /ligne 20 : pièce jointe « data\/absent\.png » introuvable/);
    assert.match(premier, /ligne 21 : pièce jointe « \.\.\/secret\.txt » hors du dossier de l'export/);
    assert.match(premier, /inconnu.*aucun compte Coop à cette adresse/);
    assert.match(premier, /ligne 11 : message de « inconnu », sans compte Coop : non importé/);
    assert.match(premier, /ligne 15 : message du canal « cnfs\/inexistant » absent du fichier/);
    assert.match(premier, /ligne 16 : ligne qui n'est pas du JSON valide/);
    assert.match(premier, /ligne 19 : conversation directe avec « inconnu »/);
    assert.match(premier, /1 objet\(s\) « emoji » ignoré\(s\)/);
  });

  it('a thread becomes a topic named after its root message, with authors, dates, reactions and the pin', async () => {
    const canaux = expectStatus(await maelle.get('/api/discussion/canaux'), 200).json.items;
    const ressourcerie = canaux.find((c) => c.nom === `Ressourcerie ${tag}`);
    assert.ok(ressourcerie, 'the thematic channel, joined by its members');
    assert.equal(ressourcerie.type, 'theme');
    assert.equal(ressourcerie.description, 'Partager nos fiches');
    assert.equal(ressourcerie.role, 'moderateur', 'channel_admin → moderator');
    assert.equal(ressourcerie.non_lus, 0, 'imported history counts as read');
    const sujets = expectStatus(await maelle.get(`/api/discussion/canaux/${ressourcerie.id}/sujets`), 200).json.items;
    const fil = sujets.find((s) => s.titre === `Fiche ${tag} : créer une adresse électronique`);
    assert.ok(fil, `the thread's topic among ${sujets.map((s) => s.titre).join(' | ')}`);
    assert.equal(fil.nb_messages, 2, 'the root and the reply of a known user');
    assert.ok(sujets.some((s) => s.titre === 'Messages du 12/03/2024'), 'a lone post goes to the topic of its day');
    const page = expectStatus(await maelle.get(`/api/discussion/canaux/${ressourcerie.id}/messages?sujet=${fil.id}`), 200).json;
    const [racine, reponse] = page.items;
    assert.equal(racine.auteur.id, maelle.user.id, 'matched by e-mail');
    assert.equal(reponse.auteur.id, camille.user.id);
    assert.equal(racine.cree_le, '2024-03-12T08:15:00.000Z');
    assert.equal(racine.epingle, true);
    assert.deepEqual(racine.reactions.map((r) => [r.emoji, r.nb]), [['👍', 1]]);
    assert.match(racine.html, /<strong>imprimable<\/strong>/);
    assert.match(racine.html, /class="coop-mention"/, '@camille became a mention of her account');
    assert.equal(reponse.cree_le, '2024-03-12T08:16:00.000Z');
    assert.deepEqual(reponse.reactions.map((r) => r.emoji), ['❤️']);
  });

  it('town-square goes to Général, a private channel to a group, direct messages to a conversation; search finds them', async () => {
    const canaux = expectStatus(await camille.get('/api/discussion/canaux'), 200).json.items;
    const general = canaux.find((c) => c.type === 'general');
    const msgs = expectStatus(await camille.get(`/api/discussion/canaux/${general.id}/messages?limite=100`), 200).json.items;
    assert.ok(msgs.some((m) => m.texte.includes(`Bonjour à tous ${tag} @canal`)), '@channel → @canal');
    const groupe = canaux.find((c) => c.nom === `Coordination ${tag}`);
    assert.equal(groupe?.type, 'groupe');
    const direct = canaux.filter((c) => c.type === 'direct');
    let trouve = false;
    for (const d of direct) {
      const items = expectStatus(await camille.get(`/api/discussion/canaux/${d.id}/messages`), 200).json.items;
      if (items.some((m) => m.texte === `Tu as vu la fiche ${tag} ?`)) trouve = true;
    }
    assert.ok(trouve, 'the direct message between the two accounts');
    const r = expectStatus(await maelle.get(`/api/discussion/recherche?q=${encodeURIComponent(`atelier ${tag}`)}`), 200).json;
    assert.ok(r.items.some((m) => m.texte.startsWith('Oui, voici la mienne')), 'French search over imported messages (ateliers → atelier)');
  });

  it('attachments go to the file store, attached to their message, readable by the members', async () => {
    const canaux = expectStatus(await camille.get('/api/discussion/canaux'), 200).json.items;
    const ressourcerie = canaux.find((c) => c.nom === `Ressourcerie ${tag}`);
    const msgs = expectStatus(await camille.get(`/api/discussion/canaux/${ressourcerie.id}/messages?limite=100`), 200).json.items;
    const fiche = msgs.find((m) => m.texte === `Fiche PDF ${tag}`);
    assert.ok(fiche, 'the message with attachments');
    assert.deepEqual(fiche.fichiers.map((f) => [f.nom, f.type]), [['fiche.pdf', 'application/pdf']], 'the missing one left out');
    const lu = await camille.get(`/api/fichiers/${fiche.fichiers[0].sha256}`);
    assert.equal(lu.status, 200);
    assert.equal(lu.text, pdf + tag);
    const photo = msgs.find((m) => m.fichiers?.some((f) => f.nom === 'photo.png'));
    assert.ok(photo, 'a reply of files only is imported');
    assert.equal(photo.auteur.id, camille.user.id);
    assert.deepEqual([photo.fichiers[0].type, photo.fichiers[0].taille], ['image/png', png.length]);
    const hors = msgs.find((m) => m.texte === `Hors ${tag}`);
    assert.deepEqual(hors.fichiers, []);
  });

  it('a second import of the same file changes nothing', async () => {
    const avant = expectStatus(await maelle.get('/api/discussion/canaux'), 200).json.items.map((c) => [c.id, c.dernier_message_le]);
    const second = importer(server.db, file);
    assert.match(second, /Canaux : 0 créé\(s\), 4 déjà là/);
    assert.match(second, /Sujets créés : 0 ; messages importés : 0 \(déjà là : 9\) ; réactions : 0 ; épinglés : 0 ; pièces jointes : 0/);
    assert.match(second, /0 conversation\(s\) directe\(s\) créée\(s\)/);
    const apres = expectStatus(await maelle.get('/api/discussion/canaux'), 200).json.items.map((c) => [c.id, c.dernier_message_le]);
    assert.deepEqual(apres, avant);
  });
});
