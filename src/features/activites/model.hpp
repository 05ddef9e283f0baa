// Activities model (CRA): the national vocabulary with French labels, the activity as the
// application sees it, and every validation rule of ../shared/reference/activites.md with a
// French message naming the field. Pure: no I/O, no SQL, no JSON.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coop::referentiel {
class Territoires;
}

namespace coop::activites {

struct Code {
  std::string_view code;
  std::string_view label;
};

inline constexpr Code types[] = {{"individuel", "Accompagnement individuel"}, {"collectif", "Atelier collectif"}};
inline constexpr Code types_lieu[] = {{"lieu_activite", "Lieu d'activité"},
                                      {"domicile", "À domicile"},
                                      {"a_distance", "À distance"},
                                      {"autre", "Autre lieu"}};
inline constexpr Code materiels[] = {{"ordinateur", "Ordinateur"},
                                     {"telephone", "Téléphone"},
                                     {"tablette", "Tablette"},
                                     {"autre", "Autre matériel"},
                                     {"aucun", "Pas de matériel"}};
inline constexpr std::string_view thematique_demarches = "aide_aux_demarches_administratives";
inline constexpr Code thematiques[] = {
    {"diagnostic_numerique", "Diagnostic numérique"},
    {"prendre_en_main_du_materiel", "Prendre en main du matériel"},
    {"maintenance_de_materiel", "Maintenance de matériel"},
    {"gere_ses_contenus_numeriques", "Gérer ses contenus numériques"},
    {"navigation_sur_internet", "Navigation sur internet"},
    {"email", "E-mail"},
    {"bureautique", "Bureautique"},
    {"reseaux_sociaux", "Réseaux sociaux communication"},
    {"sante", "Santé"},
    {"banque_et_achats_en_ligne", "Banque et achats en ligne"},
    {"entrepreneuriat", "Entrepreneuriat"},
    {"insertion_professionnelle", "Insertion professionnelle"},
    {"securite_numerique", "Prévention en sécurité numérique"},
    {"parentalite", "Parentalité"},
    {"scolarite_et_numerique", "Scolarité et numérique"},
    {"creer_avec_le_numerique", "Créer avec le numérique"},
    {"culture_numerique", "Culture numérique"},
    {"intelligence_artificielle", "Intelligence artificielle (IA)"},
    {"aide_aux_demarches_administratives", "Aide aux démarches administratives"},
};
inline constexpr Code demarches[] = {
    {"papiers_elections_citoyennete", "Papiers - Élections - Citoyenneté"},
    {"famille_scolarite", "Famille - Scolarité"},
    {"social_sante", "Social - Santé"},
    {"travail_formation", "Travail - Formation"},
    {"logement", "Logement"},
    {"transports_mobilite", "Transports - Mobilité"},
    {"argent_impots", "Argent - Impôts"},
    {"justice", "Justice"},
    {"etrangers_europe", "Étrangers - Europe"},
    {"loisirs_sports_culture", "Loisirs - Sports - Culture"},
    {"associations", "Associations"},
};
inline constexpr Code autonomies[] = {{"entierement_accompagne", "Entièrement accompagné (avec guidage)"},
                                      {"partiellement_autonome", "Partiellement autonome"},
                                      {"autonome", "Autonome"}};
inline constexpr Code structures_redirection[] = {
    {"administration", "Administration"},
    {"mediation_numerique", "Structure de médiation numérique"},
    {"operateur_ou_organisme_en_charge", "Opérateur ou organisme en charge"},
    {"aide_sociale", "Structure d'aide sociale"},
    {"insertion_professionnelle", "Structure d'insertion professionnelle"},
    {"aide_aux_demarches_administratives", "Structure d'aide aux démarches administratives"},
    {"autre", "Autre"},
};
inline constexpr Code niveaux[] = {{"debutant", "Débutant"}, {"intermediaire", "Intermédiaire"}, {"avance", "Avancé"}};
inline constexpr Code genres[] = {{"masculin", "Masculin"}, {"feminin", "Féminin"}, {"non_communique", "Non communiqué"}};
inline constexpr Code tranches_age[] = {
    {"moins_de_douze", "Moins de 12 ans"},       {"douze_dix_huit", "12-17 ans"},
    {"dix_huit_vingt_quatre", "18-24 ans"},      {"vingt_cinq_trente_neuf", "25-39 ans"},
    {"quarante_cinquante_neuf", "40-59 ans"},    {"soixante_soixante_neuf", "60-69 ans"},
    {"soixante_dix_plus", "70 ans et plus"},     {"non_communique", "Non communiqué"},
};
inline constexpr Code statuts_social[] = {{"scolarise", "Scolarisé(e)"},
                                          {"sans_emploi", "Sans emploi"},
                                          {"en_emploi", "En emploi"},
                                          {"retraite", "Retraité(e)"},
                                          {"non_communique", "Non communiqué ou hétérogène"}};
inline constexpr Code deja_accompagnes[] = {{"oui", "Déjà accompagné"}, {"non", "Jamais accompagné"},
                                           {"non_communique", "Non communiqué"}};
inline constexpr Code portees_tag[] = {{"personnel", "Personnel"}, {"equipe", "Équipe"}, {"departemental", "Départemental"}};

inline constexpr int duree_presets[] = {15, 30, 45, 60, 90, 120};
inline constexpr int duree_max = 24 * 60;
inline constexpr std::string_view date_min = "2020-01-01";
inline constexpr int frequent_duration_threshold = 5;  // "used more than 5 times"

bool known(std::span<const Code> list, std::string_view code);
std::optional<std::string_view> label(std::span<const Code> list, std::string_view code);

// Comma-separated code lists as stored ("email,sante"); empty text → empty list.
std::string join_codes(const std::vector<std::string>& codes);
std::vector<std::string> split_codes(std::string_view text);

// Anonymous participants of an atelier: a total and four breakdowns (in the order of the code
// lists above), each summing to the total.
struct ParticipantsAnonymes {
  std::int64_t total = 0;
  std::array<std::int64_t, std::size(genres)> genre{};
  std::array<std::int64_t, std::size(tranches_age)> tranche_age{};
  std::array<std::int64_t, std::size(statuts_social)> statut_social{};
  std::array<std::int64_t, std::size(deja_accompagnes)> deja_accompagne{};
  bool operator==(const ParticipantsAnonymes&) const = default;
};

// Profile of the anonymous beneficiary of an individual accompaniment: no name, every field
// optional. Stored as an anonymous row of beneficiaires (anonyme = 1) owned by the mediator and
// linked to the activity, as on the national platform, so that every individual accompaniment
// has exactly one beneficiary link.
struct ProfilAnonyme {
  std::optional<std::string> genre, tranche_age, statut_social, commune_insee, code_postal;
  bool operator==(const ProfilAnonyme&) const = default;
};

struct Activite {
  std::int64_t id = 0;
  std::int64_t mediateur_id = 0;
  std::int64_t version = 1;
  std::string type;  // individuel | collectif
  std::string date;  // YYYY-MM-DD
  std::int64_t duree = 0;  // minutes
  std::string type_lieu;
  std::optional<std::int64_t> lieu_activite_id;  // structure id of the lieu
  std::optional<std::string> commune_insee, code_postal;
  std::vector<std::string> materiel, thematiques, demarches;
  std::optional<std::string> precisions_demarche, notes;
  // individuel
  std::optional<std::int64_t> beneficiaire_id;  // a followed beneficiary; none: an anonymous one
  // Profile of the anonymous beneficiary (API "beneficiaire_anonyme"). Exclusive with
  // beneficiaire_id; an individual CRA without either gets an anonymous beneficiary with an empty
  // profile (the store creates it).
  std::optional<ProfilAnonyme> beneficiaire_anonyme;
  std::optional<std::string> autonomie;
  bool oriente_vers_structure = false;
  std::optional<std::string> structure_de_redirection;
  // Orientation recorded from the orientation wizard (issue 12 point 7): the lieu (table lieux)
  // the person was sent to and the services of that lieu that matched the need (the standard's
  // labels, in its vocabulary order). Services need a lieu; both individuel only.
  std::optional<std::int64_t> orientation_lieu_id;
  std::vector<std::string> orientation_services;
  // collectif
  std::optional<std::string> titre_atelier, niveau;
  std::vector<std::int64_t> participants;  // followed beneficiaries
  ParticipantsAnonymes anonymes;
  std::vector<std::int64_t> tag_ids;
  std::string created_at, updated_at;
  std::optional<std::string> deleted_at;
};

// A mediator's lieu d'activité: a structure, from debut to fin (inclusive, open when none).
struct LieuPeriode {
  std::int64_t structure_id = 0;
  std::string debut;
  std::optional<std::string> fin;
  bool valid_on(std::string_view date) const;
};

using FieldErrors = std::map<std::string, std::string>;

// What validation needs besides the activity itself.
struct Contexte {
  std::string today;                                         // YYYY-MM-DD
  const referentiel::Territoires* territoires = nullptr;     // communes (nullptr: none known)
  std::vector<LieuPeriode> lieux;                            // the mediator's lieux d'activité
};

inline constexpr std::size_t max_notes = 5000;
inline constexpr std::size_t max_precisions = 500;
inline constexpr std::size_t max_titre = 200;
inline constexpr std::size_t max_participants = 500;

// Sorts and removes duplicate codes and ids (order of the vocabulary), trims texts and drops
// empty ones. Run before validate().
void normalize(Activite& a);

// Every rule; field names as in the API body ("thematiques", "participants_anonymes.genre"…).
FieldErrors validate(const Activite& a, const Contexte& ctx);

// Lieux d'activité periods.
FieldErrors check_lieu_period(std::string_view debut, const std::optional<std::string>& fin);

// The idempotency key of a CRA created by a client (offline entry, header Idempotency-Key): a
// UUID in its canonical text form (8-4-4-4-12 hexadecimal digits, crypto.randomUUID() gives a
// v4), case-insensitive. Returns it in lower case, or nothing when the text is not one.
std::optional<std::string> cle_idempotence(std::string_view text);

}  // namespace coop::activites
