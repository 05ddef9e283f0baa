// Where `coop` finds the files it reads at run time when no flag or environment variable names
// them: next to its own executable, so that it runs from any working directory.
//
//   installed   (make install)   PREFIX/bin/coop → PREFIX/share/coop/web
//                                                  PREFIX/share/coop/referentiel
//                                                  PREFIX/share/coop/evaluation
//   development (the build tree) REPO/build/coop → REPO/web/dist
//                                                  REPO/web/node_modules/@etalab/decoupage-administratif/data
//                                                  REPO/evaluation
//
// The installed layout is tried first. Plain utility: no HTTP, no SQL (docs/configuration.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coop::core::installation {

// Relative to PREFIX (the executable's directory's parent), as `make install` lays them out.
inline constexpr std::string_view kWebInstalled = "share/coop/web";
inline constexpr std::string_view kReferentielInstalled = "share/coop/referentiel";
inline constexpr std::string_view kEvaluationInstalled = "share/coop/evaluation";
// Relative to the repository root (the build directory's parent).
inline constexpr std::string_view kWebDevelopment = "web/dist";
inline constexpr std::string_view kReferentielDevelopment = "web/node_modules/@etalab/decoupage-administratif/data";
inline constexpr std::string_view kEvaluationDevelopment = "evaluation";

enum class Data {
  web,          // the built front end; a directory holding index.html
  referentiel,  // @etalab/decoupage-administratif's data; a directory holding communes.json
  evaluation,   // the evaluation's item bank (features/evaluation); a directory holding referentiel.txt
};

// The file whose presence makes a candidate directory the right one.
std::string_view marker(Data data);

// The running executable, symbolic links resolved (/proc/self/exe); empty when unknown.
std::filesystem::path executable_path();

// The directories tried for `data` when coop's executable is `exe`, in order: installed layout,
// then development layout.
std::vector<std::filesystem::path> candidates(const std::filesystem::path& exe, Data data);

struct Lookup {
  std::optional<std::filesystem::path> found;  // the first candidate holding marker(data)
  std::vector<std::filesystem::path> tried;    // every candidate, in order
};
Lookup find(const std::filesystem::path& exe, Data data);

// "/a/share/coop/web, /a/web/dist" — for error and log messages.
std::string describe(const std::vector<std::filesystem::path>& tried);

}  // namespace coop::core::installation
