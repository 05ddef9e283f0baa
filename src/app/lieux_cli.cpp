#include "app/lieux_cli.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "core/time.hpp"
#include "features/lieux/export.hpp"
#include "features/lieux/import.hpp"
#include "features/lieux/store.hpp"

namespace coop::app {

int importer_lieux(storage::Database& db, const OptionsImportLieux& o) {
  std::ifstream in(o.fichier, std::ios::binary);
  if (!in) {
    std::cerr << "erreur : fichier illisible : " << o.fichier << "\n";
    return 1;
  }
  lieux::Rapport r;
  try {
    r = lieux::importer(db, in, {.source = o.source, .proposer_doublons = true, .lot = 500});
  } catch (const lieux::ErreurImport& e) {
    std::cerr << "erreur : " << o.fichier << " : " << e.what() << "\n";
    return 1;
  }
  fmt::print("{}", lieux::decrire(r));
  if (!o.rejets.empty()) {
    std::ofstream out(o.rejets, std::ios::binary);
    out << lieux::rejets_csv(r);
    if (!out) {
      std::cerr << "erreur : impossible d'écrire " << o.rejets << "\n";
      return 1;
    }
    fmt::print("Lignes rejetées écrites dans {} ({} ligne(s), colonne « motif »).\n", o.rejets, r.rejetes);
  }
  return 0;
}

int exporter_lieux(storage::Database& db, const OptionsExportLieux& o) {
  auto format = o.format == "json" ? lieux::FormatExport::json
                : o.format == "data-inclusion" ? lieux::FormatExport::data_inclusion
                                                : lieux::FormatExport::csv;
  std::string chemin = o.sortie.empty() ? lieux::nom_fichier_recommande(core::today(), o.producteur, o.territoire, format)
                                        : o.sortie;
  std::int64_t n = 0;
  if (chemin == "-") {
    db.read([&](storage::Session& s) { n = lieux::exporter(s, format, std::cout); });
    std::cout.flush();
    return 0;
  }
  std::ofstream out(chemin, std::ios::binary);
  if (!out) {
    std::cerr << "erreur : impossible d'écrire " << chemin << "\n";
    return 1;
  }
  db.read([&](storage::Session& s) { n = lieux::exporter(s, format, out); });
  out.close();
  if (!out) {
    std::cerr << "erreur : écriture incomplète de " << chemin << "\n";
    return 1;
  }
  fmt::print("{} lieu(x) exporté(s) dans {}.\n", n, chemin);
  return 0;
}

int lister_doublons_lieux(storage::Database& db) {
  auto ds = db.read_value([](storage::Session& s) { return lieux::store::doublons(s); });
  if (ds.empty()) {
    fmt::print("Aucun doublon proposé.\n");
    return 0;
  }
  fmt::print("{} doublon(s) proposé(s) à la fusion :\n", ds.size());
  for (const auto& d : ds)
    fmt::print("  #{} : lieu {} « {} » ({}) et lieu {} « {} » ({}), {} — {}\n", d.id, d.lieu_id, d.nom_lieu,
               d.source_lieu, d.autre_id, d.nom_autre, d.source_autre, d.commune, d.raisons);
  return 0;
}

}  // namespace coop::app
