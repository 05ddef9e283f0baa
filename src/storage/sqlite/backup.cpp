#include "storage/sqlite/backup.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include "storage/database.hpp"

namespace coop::storage {

namespace fs = std::filesystem;

std::optional<std::string> sqlite_file(const std::string& url) {
  auto starts = [&](std::string_view p) { return url.compare(0, p.size(), p) == 0; };
  if (starts("postgresql://") || starts("postgres://")) return std::nullopt;
  if (url == "sqlite::memory:" || url == ":memory:" || url == "sqlite://:memory:") return std::nullopt;
  std::string path;
  if (starts("sqlite://"))
    path = url.substr(9);
  else if (starts("sqlite:"))
    path = url.substr(7);
  else if (url.find("://") != std::string::npos)
    return std::nullopt;
  else
    path = url;
  if (path.empty()) return std::nullopt;
  return path;
}

namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

[[noreturn]] void fail(const std::string& what) { throw DbError(DbError::Kind::other, "sauvegarde : " + what); }

Handle open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Handle h(raw);
  if (rc != SQLITE_OK)
    fail(fmt::format("ouverture de {} impossible : {}", path, raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 5000);
  return h;
}

void exec(sqlite3* db, const char* sql, const std::string& path) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    fail(fmt::format("{} sur {} : {}", sql, path, msg));
  }
}

std::string text_of(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return {};
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

}  // namespace

BackupReport backup_sqlite(const std::string& source, const std::string& destination) {
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) fail(fmt::format("base SQLite introuvable : {}", source));
  if (fs::exists(destination, ec)) fail(fmt::format("{} existe déjà (choisissez un nouveau fichier)", destination));
  const std::string partial = destination + ".partiel";
  fs::remove(partial, ec);
  BackupReport report;
  try {
    // Read-only: the backup never writes to the live database (the server's -wal and -shm files
    // are used as they are).
    Handle src = open(source, SQLITE_OPEN_READONLY);
    Handle dst = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* b = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
    if (!b) fail(fmt::format("copie impossible : {}", sqlite3_errmsg(dst.get())));
    int rc;
    // All pages in one step: one read transaction, hence one consistent snapshot. A step that
    // finds the source busy (a checkpoint in progress) is retried.
    for (int attempt = 0; (rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED; ++attempt) {
      if (attempt >= 50) break;
      sqlite3_sleep(100);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) fail(fmt::format("copie de {} interrompue : {}", source, sqlite3_errstr(rc)));
    src.reset();
    // One file, whatever the source's journal mode.
    exec(dst.get(), "PRAGMA journal_mode = DELETE", partial);
    const std::string check = text_of(dst.get(), "PRAGMA quick_check");
    if (check != "ok") fail(fmt::format("la copie {} est invalide : {}", partial, check));
    const std::string version = text_of(dst.get(), "SELECT MAX(version) FROM schema_migrations");
    report.schema_version = version.empty() ? 0 : std::stoll(version);
  } catch (...) {
    fs::remove(partial, ec);
    throw;
  }
  fs::rename(partial, destination, ec);
  if (ec) {
    fs::remove(partial, ec);
    fail(fmt::format("renommage en {} impossible : {}", destination, ec.message()));
  }
  report.bytes = static_cast<std::int64_t>(fs::file_size(destination, ec));
  return report;
}

}  // namespace coop::storage
