// Demo library (features/ressources): French teaching resources with real small PDF files
// (written here, one page of text each), their extracted text and first-page previews, links,
// collections of a person and of a structure, votes, favourites, a follow and a comment.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>

#include "app/demo.hpp"
#include "core/markdown.hpp"
#include "core/security.hpp"
#include "core/time.hpp"
#include "features/fichiers/store.hpp"
#include "features/ressources/api.hpp"
#include "features/ressources/extraction.hpp"
#include "features/ressources/store.hpp"

namespace coop::app {

namespace rs = ressources;
using storage::Session;

namespace {

// UTF-8 → WinAnsi (Latin-1 range only, which covers French), escaped for a PDF string.
std::string pdf_texte(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto c = static_cast<unsigned char>(utf8[i]);
    unsigned cp = c;
    if (c >= 0xC0 && c < 0xE0 && i + 1 < utf8.size()) {
      cp = ((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F);
    } else if (c >= 0xE0 && i + 2 < utf8.size()) {
      cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3F) << 6) | (static_cast<unsigned char>(utf8[i + 2]) & 0x3F);
      i += 2;
      if (cp == 0x2019) cp = '\'';
      else if (cp == 0x2026) cp = '.';
      else if (cp == 0x0153) cp = 0x9C;  // œ in WinAnsi
      else if (cp > 0xFF) cp = '?';
    }
    if (cp == '(' || cp == ')' || cp == '\\') out += '\\';
    out += static_cast<char>(cp);
  }
  return out;
}

// A one-page A4 PDF: a title and lines of text (Helvetica), with a correct cross-reference table.
std::string pdf(const std::string& titre, const std::vector<std::string>& lignes) {
  std::string flux = "BT /F2 20 Tf 56 780 Td (" + pdf_texte(titre) + ") Tj ET\nBT /F1 12 Tf 56 740 Td 18 TL\n";
  for (const auto& l : lignes) flux += "(" + pdf_texte(l) + ") Tj T*\n";
  flux += "ET\n0 0 0.57 rg 56 800 483 4 re f\n";
  const std::vector<std::string> objets = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
      "<< /Length " + std::to_string(flux.size()) + " >>\nstream\n" + flux + "endstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"};
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> pos;
  for (std::size_t i = 0; i < objets.size(); ++i) {
    pos.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objets[i] + "\nendobj\n";
  }
  const auto xref = out.size();
  out += fmt::format("xref\n0 {}\n0000000000 65535 f \n", objets.size() + 1);
  for (auto p : pos) out += fmt::format("{:010} 00000 n \n", p);
  return out + fmt::format("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n", objets.size() + 1, xref);
}

struct Doc {
  std::string nom, contenu, sha, texte;
  std::optional<std::string> apercu;
};

struct Modele {
  const char* auteur;
  const char* structure;  // nullptr: none
  rs::Saisie saisie;
  std::vector<Doc> docs;
};

}  // namespace

void load_demo_ressources(storage::Database& db) {
  auto doc = [](std::string nom, const std::string& titre, const std::vector<std::string>& lignes) {
    Doc d{.nom = std::move(nom), .contenu = pdf(titre, lignes), .sha = {}, .texte = {}, .apercu = {}};
    d.sha = core::sha256_hex(d.contenu);
    // Outside any transaction, as the upload does.
    d.texte = rs::extraction::texte(d.contenu, "application/pdf", rs::reglages().extraction).value_or("");
    d.apercu = rs::extraction::apercu_pdf(d.contenu, rs::reglages().extraction);
    return d;
  };
  auto saisie = [](std::string titre, std::string resume, std::string description, std::vector<std::string> them,
                   std::vector<std::string> publics, std::string format, std::string niveau, std::optional<std::int64_t> duree,
                   std::string visibilite, std::string licence = "cc_by_sa_4", std::vector<rs::Lien> liens = {}) {
    rs::Saisie s;
    s.titre = std::move(titre);
    s.resume = std::move(resume);
    s.description = std::move(description);
    s.thematiques = std::move(them);
    s.publics = std::move(publics);
    s.format = std::move(format);
    s.niveau = std::move(niveau);
    s.duree_minutes = duree;
    s.licence = std::move(licence);
    s.visibilite = std::move(visibilite);
    s.statut = "publie";
    s.liens = std::move(liens);
    return s;
  };
  std::vector<Modele> modeles;
  modeles.push_back({"mediatrice@coop.example", "Médiathèque du Bachut",
                     saisie("Atelier clé en main : créer et utiliser sa boîte e-mail",
                            "Un atelier de 1 h 30 pour ouvrir une adresse, envoyer un premier message et joindre un document.",
                            "## Déroulé\n\n1. Tour de table (10 min)\n2. Créer son adresse (30 min)\n3. Écrire, répondre, "
                            "joindre une pièce (40 min)\n4. Bilan\n\n**Matériel** : un ordinateur pour deux, vidéoprojecteur.",
                            {"email"}, {"seniors", "tout_public"}, "atelier_cle_en_main", "debutant", 90, "public"),
                     {doc("atelier-boite-email.pdf", "Créer et utiliser sa boîte e-mail",
                          {"Objectif : envoyer un premier message et joindre une pièce jointe.",
                           "Étape 1 : choisir un fournisseur de messagerie et créer son adresse.",
                           "Étape 2 : écrire un message, ajouter un destinataire et un objet.",
                           "Étape 3 : joindre une photo ou un document, puis envoyer.",
                           "Conseil : noter son mot de passe dans un carnet rangé à la maison."})}});
  modeles.push_back({"mediateur.lyon@coop.example", nullptr,
                     saisie("Fiche pas à pas : reconnaître un message d'hameçonnage",
                            "Les signes qui trahissent un faux message de la banque, de l'Assurance maladie ou d'un livreur.",
                            "Une fiche à imprimer et à laisser aux personnes accompagnées.", {"securite_numerique", "email"},
                            {"tout_public", "seniors"}, "fiche_pas_a_pas", "debutant", 45, "public", "cc_by_4",
                            {{.url = "https://www.cybermalveillance.gouv.fr/", .titre = "Cybermalveillance.gouv.fr"}}),
                     {doc("fiche-hameconnage.pdf", "Reconnaître un message d'hameçonnage",
                          {"1. L'expéditeur : une adresse inconnue ou qui imite un organisme.",
                           "2. L'urgence : « votre compte sera bloqué sous 24 heures ».",
                           "3. Le lien : survoler sans cliquer, vérifier l'adresse du site.",
                           "4. Les demandes : jamais de code bancaire ni de mot de passe par courriel.",
                           "En cas de doute : supprimer le message et appeler l'organisme."})}});
  modeles.push_back({"mediatrice.stetienne@coop.example", "Association Connexions Solidaires",
                     saisie("Prendre rendez-vous chez le médecin en ligne",
                            "Créer son compte, chercher un praticien et réserver un créneau, pas à pas.",
                            "Support utilisé lors des permanences santé numérique.", {"sante"}, {"seniors", "familles_parents"},
                            "fiche_pas_a_pas", "intermediaire", 60, "public"),
                     {doc("rendez-vous-medecin.pdf", "Prendre rendez-vous en ligne",
                          {"Créer son compte avec son adresse e-mail et son numéro de téléphone.",
                           "Rechercher un médecin généraliste près de chez soi.",
                           "Choisir un créneau et confirmer le rendez-vous.",
                           "Consulter ses rendez-vous à venir et les annuler si besoin."})}});
  modeles.push_back({"coordination@coop.example", nullptr,
                     saisie("Kit de communication : affiche des permanences numériques",
                            "Une affiche A4 à compléter avec vos horaires et votre lieu.", "", {"culture_numerique"},
                            {"professionnels"}, "kit_communication", "tous", std::nullopt, "equipe"),
                     {doc("affiche-permanences.pdf", "Besoin d'aide avec le numérique ?",
                          {"Permanences gratuites, sans rendez-vous.", "Lieu : ..........................",
                           "Horaires : ..........................", "Démarches en ligne, e-mail, smartphone, ordinateur."})}});
  modeles.push_back({"mediateur.rennes@coop.example", "Espace France Services de Rennes Nord",
                     saisie("Diaporama : découvrir l'intelligence artificielle",
                            "Qu'est-ce qu'une IA générative, à quoi elle sert, ses limites : un support pour un atelier d'échange.",
                            "Diaporama de 12 vues avec des exemples à tester ensemble.", {"intelligence_artificielle", "culture_numerique"},
                            {"jeunes", "tout_public"}, "diaporama", "intermediaire", 120, "public", "cc_by_4"),
                     {doc("decouvrir-ia.pdf", "Découvrir l'intelligence artificielle",
                          {"Une intelligence artificielle générative produit du texte ou des images.",
                           "Elle peut se tromper : toujours vérifier ses réponses.",
                           "Ne jamais lui confier de données personnelles.", "Atelier : comparer trois réponses à une même question."})}});
  modeles.push_back({"mediatrice@coop.example", nullptr,
                     saisie("Atelier smartphone : premiers réglages (brouillon)", "À terminer avant l'atelier de janvier.", "",
                            {"prendre_en_main_du_materiel"}, {"seniors"}, "atelier_cle_en_main", "debutant", 90, "prive"),
                     {}});
  modeles.back().saisie.statut = "brouillon";

  db.write([&](Session& s) {
    std::map<std::string, std::int64_t> ids;
    std::vector<std::int64_t> ressources;
    for (auto& m : modeles) {
      auto u = s.query("SELECT id, TRIM(prenom || ' ' || nom) FROM users WHERE email = ?", {std::string(m.auteur)});
      if (u.empty()) return;  // not the demo data set
      const auto auteur = storage::as_int(u.rows[0][0]);
      ids[m.auteur] = auteur;
      if (m.structure) {
        auto st = s.query("SELECT id FROM structures WHERE nom = ?", {std::string(m.structure)});
        if (!st.empty()) m.saisie.structure_id = storage::as_int(st.rows[0][0]);
      }
      if (!rs::valider(m.saisie).empty()) throw std::logic_error("demo resource invalid: " + m.saisie.titre);
      auto id = rs::store::creer(s, {.saisie = m.saisie,
                                     .description_html = markdown::rendre(m.saisie.description).html,
                                     .auteur_id = auteur,
                                     .auteur_nom = storage::as_text(u.rows[0][1]),
                                     .origine_id = {},
                                     .origine_credit = {}});
      for (auto& d : m.docs) {
        fichiers::store::enregistrer(s, {.contenu = d.contenu, .type = "application/pdf", .largeur = {}, .hauteur = {}, .apercu = d.apercu},
                                     d.sha, auteur, d.nom);
        fichiers::store::referencer(s, d.sha, rs::store::kDomaine, id, auteur);
        if (!d.texte.empty()) rs::store::enregistrer_texte(s, d.sha, d.texte);
      }
      rs::store::reindexer(s, id);
      ressources.push_back(id);
    }
    const auto med = ids["mediatrice@coop.example"], lyon = ids["mediateur.lyon@coop.example"];
    const auto coord = ids["coordination@coop.example"];
    auto kit = rs::store::creer_collection(s, {.id = 0, .titre = "Kit atelier e-mail débutants",
                                               .description = "Tout pour animer un premier atelier e-mail.",
                                               .proprietaire_id = med, .structure_id = {}, .proprietaire_nom = {},
                                               .publique = true, .nombre = 0, .cree_le = {}, .modifie_le = {}},
                                           med);
    rs::store::ajouter(s, kit, ressources[0], med);
    rs::store::ajouter(s, kit, ressources[1], med);
    if (auto bachut = s.query("SELECT id FROM structures WHERE nom = ?", {std::string("Médiathèque du Bachut")}); !bachut.empty()) {
      auto base = rs::store::creer_collection(s, {.id = 0, .titre = "Ressources de la Médiathèque du Bachut", .description = "",
                                                  .proprietaire_id = {}, .structure_id = storage::as_int(bachut.rows[0][0]),
                                                  .proprietaire_nom = {}, .publique = true, .nombre = 0, .cree_le = {},
                                                  .modifie_le = {}},
                                              med);
      rs::store::ajouter(s, base, ressources[0], med);
      rs::store::ajouter(s, base, ressources[2], med);
    }
    for (auto [qui, r] : {std::pair{lyon, 0}, {coord, 0}, {med, 1}, {coord, 1}, {med, 4}}) {
      rs::store::basculer(s, "ressources_utiles", qui, ressources[static_cast<std::size_t>(r)], true);
      rs::store::recompter_utiles(s, ressources[static_cast<std::size_t>(r)]);
    }
    rs::store::basculer(s, "ressources_favoris", lyon, ressources[0], true);
    rs::store::suivre(s, lyon, kit, std::nullopt, true);
    const std::string merci = "Testé avec un groupe de 6 personnes : très clair, merci !";
    const auto nom = storage::as_text(s.query("SELECT TRIM(prenom || ' ' || nom) FROM users WHERE id = ?", {lyon}).rows[0][0]);
    rs::store::commenter(s, ressources[0], lyon, nom, merci, markdown::rendre(merci).html);
  });
  spdlog::info("démonstration : {} ressources", modeles.size());
}

}  // namespace coop::app
