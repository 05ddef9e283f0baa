#include "features/beneficiaires/model.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

#include "core/text.hpp"
#include "features/accounts/model.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::beneficiaires {

namespace {

template <std::size_t N>
bool in(const std::string_view (&codes)[N], std::string_view v) {
  return std::find(std::begin(codes), std::end(codes), v) != std::end(codes);
}

bool blank(const std::optional<std::string>& s) { return !s || s->empty(); }

void clean(std::optional<std::string>& s) {
  if (!s) return;
  s = core::trim(*s);
  if (s->empty()) s.reset();
}

std::string full_name(const std::optional<std::string>& first, const std::optional<std::string>& second) {
  return core::fold(first.value_or("") + " " + second.value_or(""));
}

}  // namespace

bool valid_genre(std::string_view code) { return in(kGenres, code); }
bool valid_tranche_age(std::string_view code) { return in(kTranchesAge, code); }
bool valid_statut_social(std::string_view code) { return in(kStatutsSociaux, code); }

FieldErrors validate(const Beneficiaire& b, const referentiel::Territoires& territoires, int current_year) {
  FieldErrors e;
  if (b.anonyme) {
    const char* msg = "Un bénéficiaire anonyme n'a pas de donnée personnelle : retirez ce champ ou suivez-le.";
    if (!blank(b.prenom)) e["prenom"] = msg;
    if (!blank(b.nom)) e["nom"] = msg;
    if (!blank(b.telephone)) e["telephone"] = msg;
    if (!blank(b.email)) e["email"] = msg;
    if (!blank(b.adresse)) e["adresse"] = msg;
    if (b.annee_naissance) e["annee_naissance"] = msg;
  } else {
    if (blank(b.prenom)) e["prenom"] = "Le prénom est obligatoire pour un bénéficiaire suivi.";
    else if (auto m = accounts::check_name(*b.prenom, true)) e["prenom"] = "Prénom : " + *m;
    if (blank(b.nom)) e["nom"] = "Le nom est obligatoire pour un bénéficiaire suivi.";
    else if (auto m = accounts::check_name(*b.nom, true)) e["nom"] = "Nom : " + *m;
  }
  if (b.annee_naissance && (*b.annee_naissance < 1900 || *b.annee_naissance > current_year))
    e.emplace("annee_naissance",
              "L'année de naissance doit être comprise entre 1900 et " + std::to_string(current_year) + ".");
  if (!blank(b.telephone)) {
    if (b.pas_de_telephone)
      e.emplace("telephone", "Téléphone : incompatible avec « pas de téléphone ».");
    else if (auto m = accounts::check_phone(*b.telephone))
      e.emplace("telephone", "Téléphone : " + *m);
  }
  if (!blank(b.email))
    if (auto m = accounts::check_email(*b.email)) e.emplace("email", "E-mail : " + *m);
  if (!blank(b.adresse) && b.adresse->size() > kMaxAdresse)
    e.emplace("adresse", "L'adresse est trop longue (300 caractères au plus).");
  if (!blank(b.notes) && b.notes->size() > kMaxNotes)
    e.emplace("notes", "Les notes sont trop longues (5000 caractères au plus).");
  if (!blank(b.commune_insee)) {
    const referentiel::Commune* c = territoires.commune(*b.commune_insee);
    if (!c) {
      e.emplace("commune_insee", "Commune inconnue (code INSEE " + *b.commune_insee + ").");
    } else if (!blank(b.code_postal) &&
               std::find(c->codes_postaux.begin(), c->codes_postaux.end(), *b.code_postal) == c->codes_postaux.end()) {
      e.emplace("code_postal", "Le code postal " + *b.code_postal + " n'est pas celui de " + c->nom + ".");
    }
  } else if (!blank(b.code_postal)) {
    e.emplace("commune_insee", "Choisissez la commune du code postal " + *b.code_postal + ".");
  }
  if (!blank(b.genre) && !valid_genre(*b.genre))
    e.emplace("genre", "Genre inconnu (masculin, feminin ou non_communique).");
  if (!blank(b.tranche_age) && !valid_tranche_age(*b.tranche_age))
    e.emplace("tranche_age", "Tranche d'âge inconnue.");
  if (!blank(b.statut_social) && !valid_statut_social(*b.statut_social))
    e.emplace("statut_social", "Statut social inconnu (scolarise, sans_emploi, en_emploi, retraite ou non_communique).");
  return e;
}

void normalize(Beneficiaire& b, const referentiel::Territoires& territoires) {
  for (auto* f : {&b.prenom, &b.nom, &b.telephone, &b.email, &b.adresse, &b.commune_insee, &b.code_postal, &b.genre,
                  &b.tranche_age, &b.statut_social, &b.notes})
    clean(*f);
  if (b.telephone && !accounts::check_phone(*b.telephone)) b.telephone = accounts::normalize_phone(*b.telephone);
  if (b.email) b.email = accounts::normalize_email(*b.email);
  if (b.commune_insee) {
    std::transform(b.commune_insee->begin(), b.commune_insee->end(), b.commune_insee->begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (!b.code_postal)
      if (const auto* c = territoires.commune(*b.commune_insee); c && c->codes_postaux.size() == 1)
        b.code_postal = c->codes_postaux.front();
  }
}

std::string search_key(const Beneficiaire& b) { return full_name(b.prenom, b.nom); }

std::size_t levenshtein(std::string_view a, std::string_view b, std::size_t max) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > max) return max + 1;
  std::vector<std::size_t> prev(a.size() + 1), cur(a.size() + 1);
  for (std::size_t i = 0; i <= a.size(); ++i) prev[i] = i;
  for (std::size_t j = 1; j <= b.size(); ++j) {
    cur[0] = j;
    std::size_t row_min = cur[0];
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[i] = std::min({prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + cost});
      row_min = std::min(row_min, cur[i]);
    }
    if (row_min > max) return max + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[a.size()], max + 1);
}

namespace {

bool names_similar(const Beneficiaire& a, const Beneficiaire& b) {
  if ((blank(a.prenom) && blank(a.nom)) || (blank(b.prenom) && blank(b.nom))) return false;
  const std::string fa = full_name(a.prenom, a.nom), fb = full_name(b.prenom, b.nom);
  if (fa.empty() || fb.empty()) return false;
  if (fa == fb || fa == full_name(b.nom, b.prenom)) return true;
  return levenshtein(fa, fb, 2) <= 2;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string phone_key(const std::optional<std::string>& p) {
  if (blank(p)) return "";
  return accounts::normalize_phone(*p);
}

}  // namespace

std::vector<std::string> duplicate_criteria(const Beneficiaire& a, const Beneficiaire& b) {
  std::vector<std::string> out;
  if (names_similar(a, b)) out.push_back("nom");
  if (auto pa = phone_key(a.telephone); !pa.empty() && pa == phone_key(b.telephone)) out.push_back("telephone");
  if (!blank(a.email) && !blank(b.email) && lower(core::trim(*a.email)) == lower(core::trim(*b.email)))
    out.push_back("email");
  if (a.annee_naissance && b.annee_naissance && *a.annee_naissance == *b.annee_naissance)
    out.push_back("annee_naissance");
  return out;
}

bool probable_duplicates(const Beneficiaire& a, const Beneficiaire& b) {
  return duplicate_criteria(a, b).size() >= kDuplicateMinCriteria;
}

std::vector<DuplicatePair> find_duplicates(const std::vector<Beneficiaire>& list) {
  std::unordered_map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& b = list[i];
    if (b.anonyme) continue;
    if (auto p = phone_key(b.telephone); !p.empty()) groups["t:" + p].push_back(i);
    if (!blank(b.email)) groups["e:" + lower(core::trim(*b.email))].push_back(i);
    if (b.annee_naissance) groups["a:" + std::to_string(*b.annee_naissance)].push_back(i);
  }
  std::set<std::pair<std::size_t, std::size_t>> seen;
  std::vector<DuplicatePair> out;
  for (auto& [key, members] : groups)
    for (std::size_t x = 0; x < members.size(); ++x)
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        auto i = members[x], j = members[y];
        if (list[i].id > list[j].id) std::swap(i, j);
        if (!seen.insert({i, j}).second) continue;
        auto c = duplicate_criteria(list[i], list[j]);
        if (c.size() >= kDuplicateMinCriteria) out.push_back({list[i].id, list[j].id, std::move(c)});
      }
  std::sort(out.begin(), out.end(), [](auto& l, auto& r) { return std::tie(l.a, l.b) < std::tie(r.a, r.b); });
  return out;
}

std::vector<std::string> merge_into(Beneficiaire& t, const Beneficiaire& s) {
  std::vector<std::string> filled;
  auto fill = [&](std::optional<std::string>& dst, const std::optional<std::string>& src, const char* name) {
    if (blank(dst) && !blank(src)) {
      dst = src;
      filled.emplace_back(name);
    }
  };
  fill(t.prenom, s.prenom, "prenom");
  fill(t.nom, s.nom, "nom");
  if (!t.annee_naissance && s.annee_naissance) {
    t.annee_naissance = s.annee_naissance;
    filled.emplace_back("annee_naissance");
  }
  if (!t.pas_de_telephone) {
    if (blank(t.telephone) && !blank(s.telephone)) {
      t.telephone = s.telephone;
      filled.emplace_back("telephone");
    } else if (blank(t.telephone) && s.pas_de_telephone) {
      t.pas_de_telephone = true;
      filled.emplace_back("pas_de_telephone");
    }
  }
  fill(t.email, s.email, "email");
  fill(t.adresse, s.adresse, "adresse");
  if (blank(t.commune_insee) && !blank(s.commune_insee)) {  // commune and postal code go together
    t.commune_insee = s.commune_insee;
    t.code_postal = s.code_postal;
    filled.emplace_back("commune_insee");
  }
  fill(t.genre, s.genre, "genre");
  fill(t.tranche_age, s.tranche_age, "tranche_age");
  fill(t.statut_social, s.statut_social, "statut_social");
  fill(t.notes, s.notes, "notes");
  if (t.anonyme && (!blank(t.prenom) || !blank(t.nom))) t.anonyme = false;
  return filled;
}

}  // namespace coop::beneficiaires
