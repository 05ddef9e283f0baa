#pragma once
#include <string>
#include "storage/database.hpp"
namespace coop::referentiel {
class Territoires;
}
namespace coop::app {
inline constexpr const char* demo_password = "coop-demo-2026!";
// Loads the demo data set (idempotent: does nothing when users already exist unless force).
// Returns false when nothing was loaded.
bool load_demo(storage::Database& db, bool print_credentials);
// The discussion space of the demo (after load_demo): channels with topics and messages in
// French, a few conversations, so that every demo account sees a lively space.
void load_demo_discussion(storage::Database& db, const referentiel::Territoires& territoires);
// The demo library (ressources): resources with small PDF files, collections, votes, a comment.
void load_demo_ressources(storage::Database& db);
// The demo lieux (after load_demo): the structures' sheets completed, 30 lieux around them.
void load_demo_lieux(storage::Database& db, const referentiel::Territoires& territoires);
// The demo local networks (after load_demo_lieux): demo_reseaux.cpp.
void load_demo_reseaux(storage::Database& db);
}
