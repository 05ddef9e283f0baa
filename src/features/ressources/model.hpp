// Ressources model: the vocabularies (thématiques of the CRA, publics, formats, levels,
// licences, visibilities) with their French labels, a resource as written by its author, and
// every validation rule with a French message naming the field. Pure: no I/O, no SQL, no JSON.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/activites/model.hpp"

namespace coop::ressources {

using activites::Code;

// The thématiques are those of the CRA (activites::thematiques): one vocabulary for both.
inline constexpr std::span<const Code> thematiques{activites::thematiques};
inline constexpr Code publics[] = {
    {"tout_public", "Tout public"},
    {"jeunes", "Jeunes (moins de 25 ans)"},
    {"seniors", "Seniors"},
    {"familles_parents", "Familles et parents"},
    {"demandeurs_emploi", "Demandeurs d'emploi"},
    {"personnes_handicap", "Personnes en situation de handicap"},
    {"allophones", "Personnes allophones"},
    {"professionnels", "Professionnels et aidants numériques"},
};
inline constexpr Code formats[] = {
    {"fiche_pas_a_pas", "Fiche pas à pas"},      {"atelier_cle_en_main", "Atelier clé en main"},
    {"diaporama", "Diaporama"},                  {"tutoriel_video", "Tutoriel vidéo"},
    {"kit_communication", "Kit de communication"}, {"autre", "Autre"},
};
inline constexpr Code niveaux[] = {
    {"debutant", "Débutant"}, {"intermediaire", "Intermédiaire"}, {"avance", "Avancé"}, {"tous", "Tous niveaux"}};
inline constexpr std::string_view licence_defaut = "cc_by_sa_4";
inline constexpr Code licences[] = {
    {"cc_by_sa_4", "Creative Commons BY-SA 4.0"},
    {"cc_by_4", "Creative Commons BY 4.0"},
    {"cc_by_nc_sa_4", "Creative Commons BY-NC-SA 4.0"},
    {"cc_by_nc_4", "Creative Commons BY-NC 4.0"},
    {"cc_by_nd_4", "Creative Commons BY-ND 4.0"},
    {"cc0", "CC0 (domaine public)"},
    {"licence_ouverte_2", "Licence Ouverte 2.0 (Etalab)"},
    {"tous_droits_reserves", "Tous droits réservés"},
};
inline constexpr Code visibilites[] = {
    {"public", "Publique"}, {"equipe", "Mon équipe et mon réseau"}, {"prive", "Privée (moi seul)"}};
inline constexpr Code statuts[] = {{"brouillon", "Brouillon"}, {"publie", "Publiée"}};

// Facets, in the order of the API's `facettes` object.
inline constexpr std::string_view facettes[] = {"thematique", "public", "format", "niveau", "licence"};

inline constexpr std::size_t kTitreMax = 200;
inline constexpr std::size_t kResumeMax = 1000;
inline constexpr std::size_t kDescriptionMax = 50000;
inline constexpr std::size_t kNoteMax = 500;
inline constexpr std::size_t kCommentaireMax = 5000;
inline constexpr std::size_t kMotifMax = 1000;
inline constexpr std::size_t kLiensMax = 20;
inline constexpr std::size_t kFichiersMax = 20;
inline constexpr std::size_t kUrlMax = 2000;
inline constexpr int kDureeMax = 24 * 60;  // minutes of a workshop

bool connu(std::span<const Code> vocabulaire, std::string_view code);
std::string_view libelle(std::span<const Code> vocabulaire, std::string_view code);  // "" when unknown
// The vocabulary of a facet ("thematique"…); empty span when unknown.
std::span<const Code> vocabulaire(std::string_view facette);

struct Lien {
  std::string url;
  std::string titre;
};

// A resource as its author writes it (create and update bodies).
struct Saisie {
  std::string titre;
  std::string resume;
  std::string description;  // markdown
  std::vector<std::string> thematiques, publics;
  std::string format;
  std::string niveau;
  std::optional<std::int64_t> duree_minutes;
  std::string licence{licence_defaut};
  std::string visibilite = "prive";
  std::string statut = "brouillon";
  std::optional<std::int64_t> structure_id;
  std::vector<Lien> liens;
  std::vector<std::string> fichiers;  // sha256 of files the author uploaded
};

using Erreurs = std::map<std::string, std::string>;

// Sorts and dedups the code lists and the files, trims texts; then every rule: title required
// (≤ 200), summary ≤ 1000, description ≤ 50,000 bytes, known codes (at least one thématique once
// published), format and level required, duration 1…1440 minutes, known licence, visibility and
// status, links http(s) with a title (≤ 20), files ≤ 20 valid sha256. Field names as in the API
// ("titre", "thematiques", "liens.0.url"…).
Erreurs valider(Saisie& s);

// True for an http:// or https:// URL without spaces nor control characters.
bool url_valide(std::string_view url);

// The credit of a copy: « D'après « Titre » de Prénom Nom ».
std::string credit(std::string_view titre, std::string_view auteur);

}  // namespace coop::ressources
