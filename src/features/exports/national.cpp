#include "features/exports/national.hpp"

#include "features/referentiel/territoires.hpp"

namespace coop::exports {

using namespace coop::activites;

namespace {

template <std::size_t N>
void add(std::array<std::int64_t, N>& counts, std::span<const Code> list, const std::optional<std::string>& code) {
  std::size_t nc = N - 1;  // non_communique is last in every list
  for (std::size_t i = 0; i < N; ++i)
    if (code && list[i].code == *code) {
      ++counts[i];
      return;
    }
  ++counts[nc];
}

std::string labels(std::span<const Code> list, const std::vector<std::string>& codes) {
  std::string out;
  for (auto& c : codes) {
    if (!out.empty()) out += ", ";
    out += std::string(label(list, c).value_or(c));
  }
  return out;
}

Cell text(const std::optional<std::string>& s) { return s && !s->empty() ? Cell(*s) : Cell(std::monostate{}); }
Cell text(std::string s) { return s.empty() ? Cell(std::monostate{}) : Cell(std::move(s)); }
Cell code_label(std::span<const Code> list, const std::optional<std::string>& code) {
  if (!code) return std::monostate{};
  return std::string(label(list, *code).value_or(*code));
}

}  // namespace

Comptes comptes(const Activite& a, const std::vector<Suivi>& suivis) {
  Comptes c;
  c.anonymes = a.anonymes.total;
  for (auto& s : suivis) ++(s.anonyme ? c.anonymes : c.suivis);
  for (std::size_t i = 0; i < c.genre.size(); ++i) c.genre[i] = a.anonymes.genre[i];
  for (std::size_t i = 0; i < c.tranche_age.size(); ++i) c.tranche_age[i] = a.anonymes.tranche_age[i];
  for (std::size_t i = 0; i < c.statut_social.size(); ++i) c.statut_social[i] = a.anonymes.statut_social[i];
  for (std::size_t i = 0; i < c.deja_accompagne.size(); ++i) c.deja_accompagne[i] = a.anonymes.deja_accompagne[i];
  for (auto& s : suivis) {
    add(c.genre, genres, s.genre);
    add(c.tranche_age, tranches_age, s.tranche_age);
    add(c.statut_social, statuts_social, s.statut_social);
    ++c.deja_accompagne[s.premier_accompagnement ? 1 : 0];  // "non" (first time) : "oui"
  }
  c.total = c.suivis + c.anonymes;
  if (a.type == "individuel" && c.total == 0) {
    // an anonymous, unrecorded person: counted, every attribute unknown
    c.total = c.anonymes = 1;
    ++c.genre.back();
    ++c.tranche_age.back();
    ++c.statut_social.back();
    ++c.deja_accompagne.back();
  }
  return c;
}

std::string joindre_services(const std::vector<std::string>& services) {
  std::string out;
  for (auto& s : services) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Table activites_table(const std::vector<Ligne>& lignes, const referentiel::Territoires& territoires) {
  using K = Column::Kind;
  Table t;
  t.columns = {{"Identifiant", K::integer, 11},
               {"Date", K::date, 11},
               {"Type", K::text, 26},
               {"Type de lieu", K::text, 16},
               {"Lieu d'activité", K::text, 30},
               {"Commune (code INSEE)", K::text, 12},
               {"Commune", K::text, 22},
               {"Code postal", K::text, 10},
               {"Durée (minutes)", K::integer, 10},
               {"Matériel", K::text, 24},
               {"Thématiques", K::text, 40},
               {"Démarches administratives", K::text, 30},
               {"Autonomie", K::text, 22},
               {"Orienté vers une structure", K::text, 12},
               {"Structure de redirection", K::text, 28},
               {"Lieu d'orientation", K::text, 30},
               {"Services de l'orientation", K::text, 36},
               {"Titre de l'atelier", K::text, 28},
               {"Niveau", K::text, 14},
               {"Étiquettes", K::text, 24},
               {"Nombre de participants", K::integer, 12},
               {"Participants suivis", K::integer, 12},
               {"Participants anonymes", K::integer, 12}};
  for (auto& g : genres) t.columns.push_back({"Genre : " + std::string(g.label), K::integer, 12});
  for (auto& g : tranches_age) t.columns.push_back({"Âge : " + std::string(g.label), K::integer, 12});
  for (auto& g : statuts_social) t.columns.push_back({"Statut : " + std::string(g.label), K::integer, 12});
  for (auto& g : deja_accompagnes) t.columns.push_back({std::string(g.label), K::integer, 12});
  t.columns.push_back({"Commune du bénéficiaire (code INSEE)", K::text, 12});
  t.columns.push_back({"Créée le", K::text, 22});
  t.columns.push_back({"Modifiée le", K::text, 22});

  t.rows.reserve(lignes.size());
  for (auto& l : lignes) {
    const Activite& a = l.a;
    auto insee = a.commune_insee ? a.commune_insee : l.lieu_commune_insee;
    const referentiel::Commune* c = insee ? territoires.commune(*insee) : nullptr;
    std::optional<std::string> cp = a.code_postal;
    if (!cp && c && !c->codes_postaux.empty()) cp = c->codes_postaux.front();
    std::string tags;
    for (auto& tag : l.tags) tags += (tags.empty() ? "" : ", ") + tag;
    auto n = comptes(a, l.suivis);
    std::vector<Cell> row{a.id,
                          a.date,
                          code_label(types, a.type),
                          code_label(types_lieu, a.type_lieu),
                          a.lieu_activite_id ? text(l.lieu_nom) : Cell(std::monostate{}),
                          text(insee),
                          c ? Cell(c->nom) : Cell(std::monostate{}),
                          text(cp),
                          a.duree,
                          text(labels(materiels, a.materiel)),
                          text(labels(thematiques, a.thematiques)),
                          text(labels(demarches, a.demarches)),
                          code_label(autonomies, a.autonomie),
                          a.type == "individuel" ? Cell(std::string(a.oriente_vers_structure ? "Oui" : "Non"))
                                                 : Cell(std::monostate{}),
                          code_label(structures_redirection, a.structure_de_redirection),
                          a.orientation_lieu_id ? text(l.orientation_lieu_nom) : Cell(std::monostate{}),
                          a.orientation_services.empty() ? Cell(std::monostate{}) : Cell(joindre_services(a.orientation_services)),
                          text(a.titre_atelier),
                          code_label(niveaux, a.niveau),
                          text(tags),
                          n.total,
                          n.suivis,
                          n.anonymes};
    for (auto x : n.genre) row.emplace_back(x);
    for (auto x : n.tranche_age) row.emplace_back(x);
    for (auto x : n.statut_social) row.emplace_back(x);
    for (auto x : n.deja_accompagne) row.emplace_back(x);
    // Commune of residence of an individual accompaniment's beneficiary (followed or anonymous).
    row.emplace_back(a.type == "individuel" && l.suivis.size() == 1 ? text(l.suivis[0].commune_insee)
                                                                     : Cell(std::monostate{}));
    row.emplace_back(a.created_at);
    row.emplace_back(a.updated_at);
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace coop::exports
