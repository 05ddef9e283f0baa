#pragma once
#include <string>
#include "storage/database.hpp"
namespace coop::app {
inline constexpr const char* demo_password = "coop-demo-2026!";
// Loads the demo data set (idempotent: does nothing when users already exist unless force).
// Returns false when nothing was loaded.
bool load_demo(storage::Database& db, bool print_credentials);
}
