// SQL of the positioning tests (migration 0027): the tests with their engine state, the answers,
// the exposure counts and the results per competence. Written once for both engines; runs inside
// the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <map>

#include "features/evaluation/moteur.hpp"
#include "storage/database.hpp"

namespace coop::evaluation::store {

using storage::Session;

struct Test {
  std::int64_t id = 0, user_id = 0;
  std::string perimetre;  // "tout" or a competence code
  std::string statut;     // en_cours | termine
  std::string etat;       // moteur::serialiser()
  std::optional<std::string> question_servie_le;
  std::string commence_le, modifie_le;
  std::optional<std::string> termine_le;
  std::optional<std::int64_t> pix_total;
};

struct ReponseEnregistree {
  int rang = 0;
  std::string item_id, resultat, reponse, repondu_le;
  bool temps_depasse = false;
};

struct ResultatCompetence {
  std::int64_t test_id = 0;
  std::string competence;
  int niveau = 0, pix = 0;
  std::string obtenu_le;
};

std::int64_t creer_test(Session& s, std::int64_t user_id, const std::string& perimetre, const std::string& etat,
                        const std::string& maintenant);
std::optional<Test> test(Session& s, std::int64_t id);
std::optional<Test> test_en_cours(Session& s, std::int64_t user_id);
std::vector<Test> tests_termines(Session& s, std::int64_t user_id);  // oldest first
void enregistrer_etat(Session& s, std::int64_t id, const std::string& etat,
                      const std::optional<std::string>& question_servie_le, const std::string& maintenant);
// Marks the test finished and appends its results to the user's history.
void terminer(Session& s, const Test& t, const std::string& etat, std::int64_t pix_total,
              const std::vector<ResultatCompetence>& resultats, const std::string& maintenant);

void ajouter_reponse(Session& s, std::int64_t test_id, const ReponseEnregistree& r);
std::vector<ReponseEnregistree> reponses(Session& s, std::int64_t test_id);  // in order

// The exposure counts in the order of `items` (moteur::Moteur::items()).
moteur::Expositions expositions(Session& s, const std::vector<moteur::Item>& items);
void compter_test(Session& s);
void compter_item(Session& s, const std::string& item_id);

std::vector<ResultatCompetence> resultats(Session& s, std::int64_t user_id);  // oldest first
// The last time the user finished a test of that perimetre ("tout" or a competence), if ever.
std::optional<std::string> dernier_termine(Session& s, std::int64_t user_id, const std::string& perimetre);

}  // namespace coop::evaluation::store
