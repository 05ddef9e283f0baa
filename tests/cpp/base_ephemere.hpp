// A fresh, migrated database for one test, on the engine named by the test's parameter:
// "sqlite" → a file in a new temporary directory; "postgres" → a new schema of the server at
// COOP_TEST_PG_URL (the test fails when it is not set, or is skipped with COOP_TEST_NO_PG=1).
// Use: call ouvrir() from SetUp() and return when the test HasFatalFailure() or IsSkipped();
// call fermer() from TearDown().
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace coop::tests {

inline std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The URL of `url` with PostgreSQL's search_path set to `schema`.
inline std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

class BaseEphemere {
 public:
  // `nom` names the temporary directory or schema (letters, digits, underscores).
  void ouvrir(const std::string& moteur, const std::string& nom) {
    if (moteur == "sqlite") {
      std::string tmpl = (std::filesystem::temp_directory_path() / ("coop-" + nom + "-XXXXXX")).string();
      ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
      dir_ = tmpl;
      url_ = "sqlite:" + dir_ + "/test.db";
    } else {
      std::string base = env("COOP_TEST_PG_URL");
      if (base.empty()) {
        if (env("COOP_TEST_NO_PG") == "1") GTEST_SKIP() << "COOP_TEST_NO_PG=1: PostgreSQL tests skipped";
        FAIL() << "COOP_TEST_PG_URL is not set (export COOP_TEST_PG_URL=$(scripts/pg-test.sh start), "
                  "or COOP_TEST_NO_PG=1 to skip PostgreSQL explicitly)";
      }
      static std::atomic<int> counter{0};
      schema_ = fmt::format("coop_{}_{}_{}", nom, ::getpid(), counter++);
      admin_ = storage::open_database(base, {.readers = 1});
      admin_->write([&](storage::Session& s) {
        s.exec_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
        s.exec_script("CREATE SCHEMA " + schema_);
      });
      url_ = with_search_path(base, schema_);
    }
    db_ = storage::open_database(url_);
    storage::migrate(*db_);
  }

  void fermer() {
    if (db_) db_->close();
    db_.reset();
    if (admin_) {
      admin_->write([&](storage::Session& s) { s.exec_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"); });
      admin_->close();
      admin_.reset();
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    dir_.clear();
  }

 protected:
  std::string url_;
  std::unique_ptr<storage::Database> db_;

 private:
  std::string dir_, schema_;
  std::unique_ptr<storage::Database> admin_;
};

}  // namespace coop::tests
