#include "core/installation.hpp"

#include <system_error>

namespace coop::core::installation {

namespace fs = std::filesystem;

std::string_view marker(Data data) {
  switch (data) {
    case Data::web: return "index.html";
    case Data::referentiel: return "communes.json";
    case Data::evaluation: return "referentiel.txt";
  }
  return "index.html";
}

fs::path executable_path() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return p;
}

std::vector<fs::path> candidates(const fs::path& exe, Data data) {
  if (exe.empty()) return {};
  // PREFIX/bin/coop → PREFIX; REPO/build/coop → REPO.
  const fs::path base = exe.parent_path().parent_path();
  const std::string_view installed = data == Data::web           ? kWebInstalled
                                     : data == Data::referentiel ? kReferentielInstalled
                                                                 : kEvaluationInstalled;
  const std::string_view development = data == Data::web           ? kWebDevelopment
                                       : data == Data::referentiel ? kReferentielDevelopment
                                                                   : kEvaluationDevelopment;
  return {(base / installed).lexically_normal(), (base / development).lexically_normal()};
}

Lookup find(const fs::path& exe, Data data) {
  Lookup l;
  l.tried = candidates(exe, data);
  for (const auto& dir : l.tried) {
    std::error_code ec;
    if (fs::is_regular_file(dir / marker(data), ec)) {
      l.found = dir;
      break;
    }
  }
  return l;
}

std::string describe(const std::vector<fs::path>& tried) {
  std::string out;
  for (const auto& p : tried) {
    if (!out.empty()) out += ", ";
    out += p.string();
  }
  return out.empty() ? "(aucun : chemin de l'exécutable inconnu)" : out;
}

}  // namespace coop::core::installation
