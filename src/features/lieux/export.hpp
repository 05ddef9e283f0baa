// Export of the lieux: CSV of the standard v1.0.2 (header in the standard's order, `,`, RFC 4180
// quotes, UTF-8 without BOM, CRLF), JSON (an array of objects named by the standard's fields,
// values as in the CSV — lists as `|` text — except latitude/longitude as numbers), and the
// data.inclusion schema (one structure per lieu, one service per service of the standard).
#pragma once

#include <ostream>
#include <string>

#include "features/lieux/store.hpp"
#include "storage/database.hpp"

namespace coop::lieux {

enum class FormatExport { csv, json, data_inclusion };

// The standard's recommended file name: YYYY-MM-DD_idProducteur_lieux-de-mediation-numerique_territoire.csv
// (`producteur` and `territoire` reduced to letters, digits and hyphens).
std::string nom_fichier_recommande(const std::string& date, const std::string& producteur,
                                   const std::string& territoire, FormatExport format = FormatExport::csv);

// One lieu as a CSV record of the standard (no line end).
std::string ligne_csv(const Lieu& l);
std::string entete_csv();

// Streams every lieu (store::parcourir) in `format` to `out`; returns the number of lieux.
std::int64_t exporter(storage::Session& s, FormatExport format, std::ostream& out);

// data.inclusion vocabularies of one lieu (exposed for tests).
std::string thematique_data_inclusion(std::string_view service);  // "numerique--" + slug
std::vector<std::string> profils_data_inclusion(const Lieu& l);
std::vector<std::string> types_data_inclusion(const Lieu& l);
std::vector<std::string> modes_accueil_data_inclusion(const Lieu& l);
std::vector<std::string> frais_data_inclusion(const Lieu& l);
std::vector<std::string> labels_data_inclusion(const Lieu& l);

}  // namespace coop::lieux
