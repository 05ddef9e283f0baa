#include "features/activites/model.hpp"

#include <algorithm>
#include <numeric>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/lieux/model.hpp"
#include "features/referentiel/territoires.hpp"

namespace coop::activites {

bool known(std::span<const Code> list, std::string_view code) { return label(list, code).has_value(); }

std::optional<std::string_view> label(std::span<const Code> list, std::string_view code) {
  for (auto& c : list)
    if (c.code == code) return c.label;
  return std::nullopt;
}

std::string join_codes(const std::vector<std::string>& codes) {
  std::string out;
  for (auto& c : codes) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

std::vector<std::string> split_codes(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto part = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

bool LieuPeriode::valid_on(std::string_view date) const {
  return debut <= date && (!fin || fin->empty() || date <= *fin);
}

namespace {

// Known codes first, in the vocabulary's order, then unknown ones (kept so validation names them).
void sort_codes(std::vector<std::string>& v, std::span<const Code> list) {
  auto rank = [&](const std::string& c) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (list[i].code == c) return i;
    return list.size();
  };
  std::stable_sort(v.begin(), v.end(), [&](auto& a, auto& b) {
    auto ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void sort_ids(std::vector<std::int64_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void trim_opt(std::optional<std::string>& s) {
  if (!s) return;
  *s = core::trim(*s);
  if (s->empty()) s.reset();
}

std::optional<std::string> unknown_code(const std::vector<std::string>& v, std::span<const Code> list) {
  for (auto& c : v)
    if (!known(list, c)) return c;
  return std::nullopt;
}

template <std::size_t N>
std::int64_t sum(const std::array<std::int64_t, N>& a) {
  return std::accumulate(a.begin(), a.end(), std::int64_t{0});
}

template <std::size_t N>
bool any_negative(const std::array<std::int64_t, N>& a) {
  return std::any_of(a.begin(), a.end(), [](std::int64_t x) { return x < 0; });
}

bool has(const std::vector<std::string>& v, std::string_view code) {
  return std::find(v.begin(), v.end(), code) != v.end();
}

}  // namespace

void normalize(Activite& a) {
  sort_codes(a.materiel, materiels);
  sort_codes(a.thematiques, thematiques);
  sort_codes(a.demarches, demarches);
  sort_ids(a.participants);
  sort_ids(a.tag_ids);
  trim_opt(a.commune_insee);
  trim_opt(a.code_postal);
  trim_opt(a.precisions_demarche);
  trim_opt(a.notes);
  trim_opt(a.autonomie);
  trim_opt(a.structure_de_redirection);
  {
    // The standard's vocabulary order, duplicates and blanks dropped; unknown labels kept last
    // (validate() names them).
    const auto& voc = lieux::vocabulaire_services();
    auto rang = [&](const std::string& s) {
      return static_cast<std::size_t>(std::find(voc.begin(), voc.end(), s) - voc.begin());
    };
    for (auto& s : a.orientation_services) s = core::trim(s);
    std::erase_if(a.orientation_services, [](const std::string& s) { return s.empty(); });
    std::stable_sort(a.orientation_services.begin(), a.orientation_services.end(),
                     [&](const std::string& x, const std::string& y) { return rang(x) < rang(y); });
    a.orientation_services.erase(std::unique(a.orientation_services.begin(), a.orientation_services.end()),
                                 a.orientation_services.end());
  }
  trim_opt(a.titre_atelier);
  trim_opt(a.niveau);
  if (auto& p = a.beneficiaire_anonyme) {
    trim_opt(p->genre);
    trim_opt(p->tranche_age);
    trim_opt(p->statut_social);
    trim_opt(p->commune_insee);
    trim_opt(p->code_postal);
  }
}

FieldErrors validate(const Activite& a, const Contexte& ctx) {
  FieldErrors e;
  auto err = [&](const std::string& field, const std::string& message) { e.emplace(field, message); };

  const bool individuel = a.type == "individuel";
  const bool collectif = a.type == "collectif";
  if (a.type.empty()) err("type", "Choisissez le type d'activité (accompagnement individuel ou atelier collectif).");
  else if (!individuel && !collectif) err("type", "Type d'activité inconnu : « " + a.type + " ».");

  if (a.date.empty()) err("date", "La date est obligatoire.");
  else if (!core::valid_date(a.date)) err("date", "Date invalide (format AAAA-MM-JJ).");
  else if (a.date < date_min) err("date", "La date ne peut pas être antérieure au 1er janvier 2020.");
  else if (!ctx.today.empty() && a.date > ctx.today) err("date", "La date ne peut pas être dans le futur.");

  if (a.duree <= 0) err("duree", "La durée doit être supérieure à zéro.");
  else if (a.duree > duree_max) err("duree", "La durée ne peut pas dépasser 24 heures.");

  // Where: a lieu d'activité of the mediator, or a commune.
  if (a.type_lieu.empty()) err("type_lieu", "Choisissez le type de lieu.");
  else if (!known(types_lieu, a.type_lieu)) err("type_lieu", "Type de lieu inconnu : « " + a.type_lieu + " ».");
  else if (a.type_lieu == "lieu_activite") {
    if (!a.lieu_activite_id) err("lieu_activite_id", "Choisissez le lieu d'activité.");
    else {
      bool mine = false, on_date = false;
      for (auto& l : ctx.lieux)
        if (l.structure_id == *a.lieu_activite_id) {
          mine = true;
          if (l.valid_on(a.date)) on_date = true;
        }
      if (!mine) err("lieu_activite_id", "Ce lieu ne fait pas partie de vos lieux d'activité.");
      else if (!on_date && core::valid_date(a.date))
        err("lieu_activite_id", "Ce lieu ne faisait pas partie de vos lieux d'activité à cette date.");
    }
    if (a.commune_insee) err("commune_insee", "La commune se déduit du lieu d'activité : ne la renseignez pas.");
  } else {
    if (a.lieu_activite_id)
      err("lieu_activite_id", "Un lieu d'activité ne s'indique que pour une activité dans un lieu d'activité.");
    if (!a.commune_insee) err("commune_insee", "La commune est obligatoire hors d'un lieu d'activité.");
    else {
      const referentiel::Commune* c = ctx.territoires ? ctx.territoires->commune(*a.commune_insee) : nullptr;
      if (!c) err("commune_insee", "Commune inconnue.");
      else if (a.code_postal && !has(c->codes_postaux, *a.code_postal))
        err("code_postal", "Ce code postal n'est pas celui de la commune " + c->nom + ".");
    }
  }
  if (a.type_lieu == "lieu_activite" && a.code_postal)
    err("code_postal", "Le code postal se déduit du lieu d'activité : ne le renseignez pas.");

  if (auto u = unknown_code(a.materiel, materiels)) err("materiel", "Matériel inconnu : « " + *u + " ».");
  else if (has(a.materiel, "aucun") && a.materiel.size() > 1)
    err("materiel", "« Pas de matériel » ne se combine pas avec un autre matériel.");

  if (a.thematiques.empty()) err("thematiques", "Choisissez au moins une thématique.");
  else if (auto u = unknown_code(a.thematiques, thematiques)) err("thematiques", "Thématique inconnue : « " + *u + " ».");

  if (auto u = unknown_code(a.demarches, demarches)) err("demarches", "Démarche inconnue : « " + *u + " ».");
  else if (!a.demarches.empty() && !has(a.thematiques, thematique_demarches))
    err("demarches", "Les démarches ne s'indiquent qu'avec la thématique « Aide aux démarches administratives ».");
  if (a.precisions_demarche && !has(a.thematiques, thematique_demarches))
    err("precisions_demarche",
        "Les précisions sur la démarche ne s'indiquent qu'avec la thématique « Aide aux démarches administratives ».");
  if (a.precisions_demarche && a.precisions_demarche->size() > max_precisions)
    err("precisions_demarche", "Ce champ est trop long (" + std::to_string(max_precisions) + " caractères au plus).");
  if (a.notes && a.notes->size() > max_notes)
    err("notes", "Ce champ est trop long (" + std::to_string(max_notes) + " caractères au plus).");

  // Individuel only.
  if (a.autonomie) {
    if (collectif) err("autonomie", "L'autonomie ne s'indique que pour un accompagnement individuel.");
    else if (!known(autonomies, *a.autonomie)) err("autonomie", "Niveau d'autonomie inconnu : « " + *a.autonomie + " ».");
  }
  if (a.oriente_vers_structure && collectif)
    err("oriente_vers_structure", "L'orientation ne s'indique que pour un accompagnement individuel.");
  if (a.oriente_vers_structure && !a.structure_de_redirection)
    err("structure_de_redirection", "Indiquez vers quelle structure la personne a été orientée.");
  else if (!a.oriente_vers_structure && a.structure_de_redirection)
    err("structure_de_redirection", "Une structure de redirection ne s'indique que si la personne a été orientée.");
  else if (a.structure_de_redirection && !known(structures_redirection, *a.structure_de_redirection))
    err("structure_de_redirection", "Structure de redirection inconnue : « " + *a.structure_de_redirection + " ».");
  if (a.orientation_lieu_id && collectif)
    err("orientation_lieu_id", "L'orientation vers un lieu ne s'indique que pour un accompagnement individuel.");
  else if (a.orientation_lieu_id && *a.orientation_lieu_id <= 0)
    err("orientation_lieu_id", "Identifiant de lieu invalide.");
  if (!a.orientation_services.empty()) {
    const auto& voc = lieux::vocabulaire_services();
    if (!a.orientation_lieu_id)
      err("orientation_services", "Les services d'une orientation s'indiquent avec le lieu choisi (orientation_lieu_id).");
    else if (a.orientation_services.size() > voc.size())
      err("orientation_services", "Trop de services.");
    else
      for (auto& s : a.orientation_services)
        if (std::find(voc.begin(), voc.end(), s) == voc.end()) {
          err("orientation_services", "« " + s + " » n'est pas un service du standard des lieux.");
          break;
        }
  }
  if (a.beneficiaire_id && collectif)
    err("beneficiaire_id", "Un atelier collectif a des participants, pas un bénéficiaire unique.");
  if (const auto& p = a.beneficiaire_anonyme) {
    if (collectif)
      err("beneficiaire_anonyme",
          "Un atelier collectif décrit ses participants anonymes par des nombres (participants_anonymes), pas par un profil.");
    else if (a.beneficiaire_id)
      err("beneficiaire_anonyme",
          "Indiquez soit le bénéficiaire suivi, soit le profil d'un bénéficiaire anonyme, pas les deux.");
    if (p->genre && !known(genres, *p->genre))
      err("beneficiaire_anonyme.genre", "Genre inconnu : « " + *p->genre + " ».");
    if (p->tranche_age && !known(tranches_age, *p->tranche_age))
      err("beneficiaire_anonyme.tranche_age", "Tranche d'âge inconnue : « " + *p->tranche_age + " ».");
    if (p->statut_social && !known(statuts_social, *p->statut_social))
      err("beneficiaire_anonyme.statut_social", "Statut social inconnu : « " + *p->statut_social + " ».");
    if (p->commune_insee) {
      const referentiel::Commune* c = ctx.territoires ? ctx.territoires->commune(*p->commune_insee) : nullptr;
      if (!c) err("beneficiaire_anonyme.commune_insee", "Commune de résidence inconnue.");
      else if (p->code_postal && !has(c->codes_postaux, *p->code_postal))
        err("beneficiaire_anonyme.code_postal", "Ce code postal n'est pas celui de la commune " + c->nom + ".");
    } else if (p->code_postal) {
      err("beneficiaire_anonyme.commune_insee", "Indiquez la commune de résidence de ce code postal.");
    }
  }

  // Collectif only.
  if (collectif) {
    if (!a.titre_atelier) err("titre_atelier", "Le titre de l'atelier est obligatoire.");
    else if (a.titre_atelier->size() > max_titre)
      err("titre_atelier", "Ce champ est trop long (" + std::to_string(max_titre) + " caractères au plus).");
    if (a.niveau && !known(niveaux, *a.niveau)) err("niveau", "Niveau inconnu : « " + *a.niveau + " ».");
    if (a.participants.size() > max_participants)
      err("participants", "Trop de participants (" + std::to_string(max_participants) + " au plus).");
    const auto& n = a.anonymes;
    if (n.total < 0 || any_negative(n.genre) || any_negative(n.tranche_age) || any_negative(n.statut_social) ||
        any_negative(n.deja_accompagne))
      err("participants_anonymes.total", "Les nombres de participants ne peuvent pas être négatifs.");
    else {
      if (n.total > 10000) err("participants_anonymes.total", "Nombre de participants anonymes trop grand.");
      if (sum(n.genre) != n.total)
        err("participants_anonymes.genre", "La répartition par genre doit totaliser les " + std::to_string(n.total) +
                                               " participants anonymes.");
      if (sum(n.tranche_age) != n.total)
        err("participants_anonymes.tranche_age", "La répartition par tranche d'âge doit totaliser les " +
                                                     std::to_string(n.total) + " participants anonymes.");
      if (sum(n.statut_social) != n.total)
        err("participants_anonymes.statut_social", "La répartition par statut doit totaliser les " +
                                                       std::to_string(n.total) + " participants anonymes.");
      if (sum(n.deja_accompagne) != n.total)
        err("participants_anonymes.deja_accompagne", "La répartition « déjà accompagné » doit totaliser les " +
                                                         std::to_string(n.total) + " participants anonymes.");
      if (n.total == 0 && a.participants.empty())
        err("participants", "Un atelier compte au moins un participant (suivi ou anonyme).");
    }
  } else if (individuel) {
    if (a.titre_atelier) err("titre_atelier", "Le titre ne s'indique que pour un atelier collectif.");
    if (a.niveau) err("niveau", "Le niveau ne s'indique que pour un atelier collectif.");
    if (!a.participants.empty())
      err("participants", "Un accompagnement individuel n'a pas de participants : indiquez le bénéficiaire.");
    if (!(a.anonymes == ParticipantsAnonymes{}))
      err("participants_anonymes", "Les participants anonymes ne s'indiquent que pour un atelier collectif.");
  }
  return e;
}

FieldErrors check_lieu_period(std::string_view debut, const std::optional<std::string>& fin) {
  FieldErrors errors;
  if (!core::valid_date(debut)) errors["debut"] = "Date de début invalide (format AAAA-MM-JJ).";
  if (fin && !fin->empty()) {
    if (!core::valid_date(*fin)) errors["fin"] = "Date de fin invalide (format AAAA-MM-JJ).";
    else if (errors.empty() && *fin < debut) errors["fin"] = "La date de fin doit suivre la date de début.";
  }
  return errors;
}

std::optional<std::string> cle_idempotence(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return out;
}

}  // namespace coop::activites
