// `coop import lieux`, `coop export lieux`, `coop lieux doublons` (docs/configuration.md).
#pragma once

#include <string>

#include "storage/database.hpp"

namespace coop::app {

struct OptionsImportLieux {
  std::string fichier, source, rejets;  // rejets: CSV of the rejected rows ("" = none)
};
int importer_lieux(storage::Database& db, const OptionsImportLieux& o);

struct OptionsExportLieux {
  std::string format = "csv";  // csv | json | data-inclusion
  std::string sortie;          // "" → the standard's recommended file name; "-" → standard output
  std::string producteur = "coop", territoire = "france";
};
int exporter_lieux(storage::Database& db, const OptionsExportLieux& o);

int lister_doublons_lieux(storage::Database& db);

}  // namespace coop::app
