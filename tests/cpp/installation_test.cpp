// Where coop finds its web front end and reference data from its own executable
// (core/installation.hpp), and `coop backup`'s SQLite copy (storage/sqlite/backup.hpp).
#include "core/installation.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "features/referentiel/territoires.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite/backup.hpp"

namespace fs = std::filesystem;
namespace inst = coop::core::installation;

namespace {

class Installation : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "coop-installation-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path touch(const fs::path& rel) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << "x";
    return root_ / rel;
  }
  fs::path root_;
};

}  // namespace

TEST_F(Installation, InstalledLayoutIsFoundFromTheExecutable) {
  auto exe = touch("usr/local/bin/coop");
  touch("usr/local/share/coop/web/index.html");
  touch("usr/local/share/coop/referentiel/communes.json");
  auto web = inst::find(exe, inst::Data::web);
  ASSERT_TRUE(web.found);
  EXPECT_EQ(*web.found, root_ / "usr/local/share/coop/web");
  auto ref = inst::find(exe, inst::Data::referentiel);
  ASSERT_TRUE(ref.found);
  EXPECT_EQ(*ref.found, root_ / "usr/local/share/coop/referentiel");
}

TEST_F(Installation, DevelopmentLayoutIsFoundFromTheBuildDirectory) {
  auto exe = touch("repo/build/coop");
  touch("repo/web/dist/index.html");
  touch("repo/web/node_modules/@etalab/decoupage-administratif/data/communes.json");
  EXPECT_EQ(inst::find(exe, inst::Data::web).found, root_ / "repo/web/dist");
  EXPECT_EQ(inst::find(exe, inst::Data::referentiel).found,
            root_ / "repo/web/node_modules/@etalab/decoupage-administratif/data");
  // The referentiel's own constant names the same development path.
  EXPECT_EQ(coop::referentiel::kDefaultDataDir, inst::kReferentielDevelopment);
}

TEST_F(Installation, InstalledLayoutComesFirstAndAFolderWithoutItsMarkerIsSkipped) {
  auto exe = touch("p/bin/coop");
  touch("p/share/coop/web/index.html");
  touch("p/web/dist/index.html");
  EXPECT_EQ(inst::find(exe, inst::Data::web).found, root_ / "p/share/coop/web");
  // An installed folder without communes.json (an incomplete install) is not taken.
  touch("p/share/coop/referentiel/regions.json");
  touch("p/web/node_modules/@etalab/decoupage-administratif/data/communes.json");
  EXPECT_EQ(inst::find(exe, inst::Data::referentiel).found,
            root_ / "p/web/node_modules/@etalab/decoupage-administratif/data");
}

TEST_F(Installation, NothingFoundListsEveryFolderTried) {
  auto exe = touch("opt/coop/bin/coop");
  auto l = inst::find(exe, inst::Data::referentiel);
  EXPECT_FALSE(l.found);
  ASSERT_EQ(l.tried.size(), 2u);
  EXPECT_EQ(l.tried[0], root_ / "opt/coop/share/coop/referentiel");
  EXPECT_EQ(l.tried[1], root_ / "opt/coop/web/node_modules/@etalab/decoupage-administratif/data");
  EXPECT_EQ(inst::describe(l.tried),
            (root_ / "opt/coop/share/coop/referentiel").string() + ", " +
                (root_ / "opt/coop/web/node_modules/@etalab/decoupage-administratif/data").string());
  // Unknown executable: no candidate, and the message says why.
  EXPECT_TRUE(inst::candidates({}, inst::Data::web).empty());
  EXPECT_NE(inst::describe({}).find("inconnu"), std::string::npos);
}

TEST(InstallationExecutable, IsThisProcessResolved) {
  auto exe = inst::executable_path();
  ASSERT_FALSE(exe.empty());
  EXPECT_TRUE(exe.is_absolute());
  EXPECT_EQ(exe.filename(), "coop_tests");
  EXPECT_TRUE(fs::equivalent(exe, "/proc/self/exe"));
}

TEST_F(Installation, SqliteFileOfAUrl) {
  using coop::storage::sqlite_file;
  EXPECT_EQ(sqlite_file("sqlite:/var/lib/coop/coop.db"), "/var/lib/coop/coop.db");
  EXPECT_EQ(sqlite_file("sqlite:data/coop.db"), "data/coop.db");
  EXPECT_EQ(sqlite_file("sqlite:///var/lib/coop/coop.db"), "/var/lib/coop/coop.db");
  EXPECT_EQ(sqlite_file("/srv/coop.db"), "/srv/coop.db");
  EXPECT_FALSE(sqlite_file("postgresql://coop@db/coop"));
  EXPECT_FALSE(sqlite_file("sqlite::memory:"));
  EXPECT_FALSE(sqlite_file("sqlite:"));
}

TEST_F(Installation, BackupIsAConsistentSelfContainedCopyOfALiveDatabase) {
  const std::string src = (root_ / "coop.db").string();
  const std::string dst = (root_ / "sauvegarde" / "copie.db").string();
  fs::create_directories(root_ / "sauvegarde");
  auto db = coop::storage::open_database("sqlite:" + src, {});
  coop::storage::migrate(*db);
  db->write([](coop::storage::Session& s) {
    s.exec("CREATE TABLE essai (n INTEGER)");
    s.exec("INSERT INTO essai (n) VALUES (1), (2), (3)");
  });
  // The server still has the database open (WAL mode, commits in the -wal file).
  auto r = coop::storage::backup_sqlite(src, dst);
  EXPECT_GT(r.bytes, 0);
  EXPECT_EQ(r.schema_version, coop::storage::current_schema_version(*db));
  EXPECT_FALSE(fs::exists(dst + ".partiel"));
  db->write([](coop::storage::Session& s) { s.exec("INSERT INTO essai (n) VALUES (4)"); });
  db->close();

  // A single file: no -wal beside it, and it holds the three rows of the moment of the copy.
  EXPECT_FALSE(fs::exists(dst + "-wal"));
  sqlite3* c = nullptr;
  ASSERT_EQ(sqlite3_open_v2(dst.c_str(), &c, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(c, "SELECT count(*), sum(n) FROM essai", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 3);
  EXPECT_EQ(sqlite3_column_int(st, 1), 6);
  sqlite3_finalize(st);
  sqlite3_close(c);

  // Never over an existing file; a missing source is named.
  try {
    coop::storage::backup_sqlite(src, dst);
    ADD_FAILURE() << "an existing destination must be refused";
  } catch (const coop::storage::DbError& e) {
    EXPECT_NE(std::string(e.what()).find("existe déjà"), std::string::npos) << e.what();
  }
  try {
    coop::storage::backup_sqlite((root_ / "absente.db").string(), (root_ / "x.db").string());
    ADD_FAILURE() << "a missing source must be refused";
  } catch (const coop::storage::DbError& e) {
    EXPECT_NE(std::string(e.what()).find("absente.db"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(root_ / "x.db"));
  EXPECT_FALSE(fs::exists(root_ / "absente.db")) << "the backup must not create its source";
}
