// Storage engine tests. The same suite (StorageTest) runs on SQLite and on PostgreSQL.
//
// PostgreSQL comes from env COOP_TEST_PG_URL (`make test` provides it; by hand:
//   export COOP_TEST_PG_URL=$(scripts/pg-test.sh start)
// ). Without it the postgres instantiation FAILS, unless COOP_TEST_NO_PG=1 is set explicitly.
// Every test gets a fresh database: SQLite a file in a fresh temp directory, PostgreSQL a fresh
// schema (selected through the connection's search_path) dropped at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <latch>
#include <limits>
#include <set>
#include <thread>

#include "core/metrics.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres/placeholders.hpp"

namespace fs = std::filesystem;
using namespace coop::storage;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "coop-storage-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

// Adds "options=-csearch_path=<schema>" to a libpq URI.
std::string with_search_path(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

template <class F>
DbError::Kind error_kind(F&& f) {
  try {
    f();
  } catch (const DbError& e) {
    return e.kind;
  }
  ADD_FAILURE() << "expected a DbError";
  return DbError::Kind::other;
}

std::int64_t count_rows(Database& db, const std::string& table) {
  return db.read_value([&](Session& s) { return as_int(s.query("SELECT COUNT(*) FROM " + table).rows[0][0]); });
}

int max_embedded_version(Dialect d) {
  int v = 0;
  for (auto& m : embedded_migrations())
    if (std::string(m.dialect) == (d == Dialect::sqlite ? "sqlite" : "postgres")) v = std::max(v, m.version);
  return v;
}

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = make_temp_dir();
      url_ = "sqlite:" + dir_ + "/test.db";
    } else {
      std::string base = env("COOP_TEST_PG_URL");
      if (base.empty()) {
        if (env("COOP_TEST_NO_PG") == "1") GTEST_SKIP() << "COOP_TEST_NO_PG=1: PostgreSQL tests skipped";
        FAIL() << "COOP_TEST_PG_URL is not set: the storage suite must also run against PostgreSQL.\n"
                  "  export COOP_TEST_PG_URL=$(scripts/pg-test.sh start)\n"
                  "or set COOP_TEST_NO_PG=1 explicitly to skip PostgreSQL in a local run.";
      }
      static std::atomic<int> counter{0};
      schema_ = fmt::format("coop_t_{}_{}", ::getpid(), counter++);
      admin_ = open_database(base, {.readers = 1});
      admin_->write([&](Session& s) {
        s.exec_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
        s.exec_script("CREATE SCHEMA " + schema_);
      });
      url_ = with_search_path(base, schema_);
    }
    db_ = open_database(url_);
  }

  void TearDown() override {
    if (db_) db_->close();
    db_.reset();
    if (admin_) {
      admin_->write([&](Session& s) { s.exec_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE"); });
      admin_->close();
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  bool sqlite() const { return GetParam() == "sqlite"; }
  // An auto-generated integer primary key named id.
  std::string pk() const { return sqlite() ? "id INTEGER PRIMARY KEY" : "id BIGSERIAL PRIMARY KEY"; }

  void ddl(const std::string& sql) {
    db_->write([&](Session& s) { s.exec_script(sql); });
  }

  std::string dir_, url_, schema_;
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
};

TEST_P(StorageTest, RoundTripsEveryValueType) {
  ddl("CREATE TABLE t (" + pk() + ", i BIGINT, d DOUBLE PRECISION, s TEXT, n TEXT)");
  const std::int64_t big = 9223372036854775807LL, small = -9223372036854775807LL - 1;
  db_->write([&](Session& s) {
    s.exec("INSERT INTO t (i, d, s, n) VALUES (?, ?, ?, ?)", {big, 0.1, std::string("Évry-Courcouronnes"), nullptr});
    s.exec("INSERT INTO t (i, d, s, n) VALUES (?, ?, ?, ?)", {small, -1.5e-300, std::string(""), std::string("x")});
  });
  Rows r = db_->read_value([](Session& s) { return s.query("SELECT i, d, s, n FROM t ORDER BY id"); });
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"i", "d", "s", "n"}));
  EXPECT_EQ(std::get<std::int64_t>(r.rows[0][0]), big);
  EXPECT_EQ(std::get<double>(r.rows[0][1]), 0.1);
  EXPECT_EQ(std::get<std::string>(r.rows[0][2]), "Évry-Courcouronnes");
  EXPECT_TRUE(is_null(r.rows[0][3]));
  EXPECT_EQ(std::get<std::int64_t>(r.rows[1][0]), small);
  EXPECT_EQ(std::get<double>(r.rows[1][1]), -1.5e-300);
  EXPECT_EQ(std::get<std::string>(r.rows[1][2]), "");
  EXPECT_EQ(as_text(r.rows[1][3]), "x");
  EXPECT_EQ(r.column("s"), 2);
  EXPECT_EQ(r.column("nope"), -1);

  // Bound values selected back directly keep their type on both engines.
  Rows direct = db_->read_value([](Session& s) {
    return s.query("SELECT ? AS a, ? AS b, ? AS c", {std::int64_t{42}, 2.5, std::string("Ville-d'Avray")});
  });
  EXPECT_EQ(std::get<std::int64_t>(direct.rows[0][0]), 42);
  EXPECT_EQ(std::get<double>(direct.rows[0][1]), 2.5);
  EXPECT_EQ(std::get<std::string>(direct.rows[0][2]), "Ville-d'Avray");

  // Integer parameters also feed functions that take 32-bit integers.
  EXPECT_EQ(db_->read_value([](Session& s) {
    return as_text(s.query("SELECT substr(s, ?, ?) FROM t ORDER BY id", {std::int64_t{1}, std::int64_t{4}}).rows[0][0]);
  }), "Évry");

  // Aggregates: integers stay integers (PostgreSQL's numeric SUM included).
  auto sum = db_->read_value([](Session& s) {
    return s.query("SELECT COUNT(*), SUM(i), AVG(d) FROM t WHERE s IS NOT NULL").rows[0];
  });
  EXPECT_EQ(std::get<std::int64_t>(sum[0]), 2);
  EXPECT_EQ(std::get<std::int64_t>(sum[1]), -1);  // bigint SUM is numeric on PostgreSQL
  EXPECT_TRUE(std::holds_alternative<double>(sum[2]));
}

// Session::stream (PostgreSQL: COPY … TO STDOUT parsed in place) gives the same values as query():
// NULLs, empty text, the characters COPY escapes (tab, newline, carriage return, backslash, a
// literal "\N"), UTF-8, 64-bit integers; rows in the SELECT's order; an error of the statement
// or of the callback leaves the session usable.
TEST_P(StorageTest, StreamHandsOutEveryRowWithoutMaterialising) {
  ddl("CREATE TABLE t (" + pk() + ", i BIGINT, s TEXT, n TEXT)");
  const std::vector<std::string> texts = {"Évry-Courcouronnes", "", "a\tb", "ligne 1\nligne 2\r\n", "C:\\chemin\\N",
                                          "\\N", "N", "\\", "\t", "émoji 🚀 ça", "x\\ty"};
  const std::int64_t big = 9223372036854775807LL, small = -9223372036854775807LL - 1;
  db_->write([&](Session& s) {
    for (std::size_t k = 0; k < texts.size(); ++k)
      s.exec("INSERT INTO t (i, s, n) VALUES (?, ?, ?)",
             {k % 2 ? big - static_cast<std::int64_t>(k) : small + static_cast<std::int64_t>(k), texts[k],
              k % 3 ? Value(nullptr) : Value(texts[k])});
    s.exec("INSERT INTO t (i, s, n) VALUES (NULL, NULL, NULL)");
  });
  struct Seen {
    bool i_null, s_null, n_null;
    std::int64_t i;
    std::string s, n;
    int size;
  };
  std::vector<Seen> seen;
  db_->read([&](Session& s) {
    s.stream("SELECT i, s, n FROM t ORDER BY id", [&](const RowView& r) {
      seen.push_back({r.is_null(0), r.is_null(1), r.is_null(2), r.integer(0), std::string(r.text(1)),
                      std::string(r.text(2)), r.size()});
    });
  });
  ASSERT_EQ(seen.size(), texts.size() + 1);
  for (std::size_t k = 0; k < texts.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(seen[k].size, 3);
    EXPECT_FALSE(seen[k].i_null);
    EXPECT_EQ(seen[k].i, k % 2 ? big - static_cast<std::int64_t>(k) : small + static_cast<std::int64_t>(k));
    EXPECT_FALSE(seen[k].s_null);
    EXPECT_EQ(seen[k].s, texts[k]);
    EXPECT_EQ(seen[k].n_null, k % 3 != 0);
    EXPECT_EQ(seen[k].n, k % 3 ? "" : texts[k]);
  }
  EXPECT_TRUE(seen.back().i_null && seen.back().s_null && seen.back().n_null);
  EXPECT_EQ(seen.back().i, 0);
  EXPECT_EQ(seen.back().s, "");

  // An integer column read as text gives its digits; text that is not an integer refuses integer().
  db_->read([&](Session& s) {
    int rows = 0;
    s.stream("SELECT i, s FROM t WHERE s = 'N'", [&](const RowView& r) {
      ++rows;
      EXPECT_EQ(r.text(0), std::to_string(small + 6));
      EXPECT_THROW(r.integer(1), DbError);
    });
    EXPECT_EQ(rows, 1);
  });
  // A failing statement throws DbError (in its own read: PostgreSQL aborts the transaction).
  EXPECT_THROW(db_->read([](Session& s) { s.stream("SELECT nope FROM t", [](const RowView&) {}); }), DbError);
  // A throwing callback stops nothing but itself: the exception comes back after the stream is
  // drained, and the session still answers.
  
  db_->read([&](Session& s) {
    int calls = 0;
    EXPECT_THROW(s.stream("SELECT s FROM t ORDER BY id",
                          [&](const RowView&) {
                            ++calls;
                            throw std::runtime_error("stop");
                          }),
                 std::runtime_error);
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(as_int(s.query("SELECT COUNT(*) FROM t").rows[0][0]), static_cast<std::int64_t>(texts.size() + 1));
    std::int64_t n = 0;
    s.stream("SELECT id FROM t", [&](const RowView&) { ++n; });
    EXPECT_EQ(n, static_cast<std::int64_t>(texts.size() + 1));
  });
}

// read_parallel: every fn sees the same snapshot, taken before any of them ran, even when a
// write commits while they run (PostgreSQL: exported/imported snapshot on several connections at
// once; SQLite: one read transaction, the fns in turn); an exception comes back to the caller.
TEST_P(StorageTest, ReadParallelSharesOneSnapshot) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT)");
  db_->write([](Session& s) { s.exec("INSERT INTO t (s) VALUES ('a'), ('b')"); });
  std::atomic<bool> written{false};
  std::atomic<int> counts[3] = {-1, -1, -1};
  std::atomic<int> concurrent{0}, max_concurrent{0};
  auto count = [](Session& s) { return static_cast<int>(as_int(s.query("SELECT COUNT(*) FROM t").rows[0][0])); };
  auto enter = [&] {
    int c = ++concurrent;
    for (int m = max_concurrent; c > m && !max_concurrent.compare_exchange_weak(m, c);) {
    }
  };
  std::vector<std::function<void(Session&)>> fns;
  fns.push_back([&](Session& s) {
    enter();
    counts[0] = count(s);
    if (!sqlite()) {  // PostgreSQL: the others are open at the same time (they wait for `written`)
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (concurrent < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // a write commits from another thread while the reads are open
    std::thread([&] { db_->write([](Session& w) { w.exec("INSERT INTO t (s) VALUES ('c')"); }); }).join();
    written = true;
    --concurrent;
  });
  for (int k = 1; k < 3; ++k)
    fns.push_back([&, k](Session& s) {
      enter();
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (!written && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      counts[k] = count(s);
      s.stream("SELECT s FROM t", [](const RowView&) {});
      --concurrent;
    });
  db_->read_parallel(fns);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(counts[k].load(), 2) << "fn " << k;
  if (!sqlite()) {
    EXPECT_EQ(max_concurrent.load(), 3) << "PostgreSQL runs them at once";
  }
  EXPECT_EQ(count_rows(*db_, "t"), 3);
  std::vector<std::function<void(Session&)>> failing{[](Session&) {},
                                                      [](Session&) { throw std::runtime_error("échec"); }};
  EXPECT_THROW(db_->read_parallel(failing), std::runtime_error);
  EXPECT_EQ(count_rows(*db_, "t"), 3);  // the pool still answers
}

TEST_P(StorageTest, BoundParametersAreNeverSpliced) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT)");
  const std::string evil = "x'); DROP TABLE t;--";
  db_->write([&](Session& s) { s.exec("INSERT INTO t (s) VALUES (?)", {evil}); });
  EXPECT_EQ(db_->read_value([](Session& s) { return as_text(s.query("SELECT s FROM t").rows[0][0]); }), evil);
  // The classic tautology finds nothing.
  EXPECT_TRUE(db_->read_value([](Session& s) {
    return s.query("SELECT id FROM t WHERE s = ?", {std::string("' OR '1'='1")}).empty();
  }));
  // `?` inside a literal is not a placeholder.
  EXPECT_EQ(db_->read_value([](Session& s) {
    return as_text(s.query("SELECT 'a?b' AS q, ? AS v", {std::string("p")}).rows[0][0]);
  }), "a?b");
  // One call = one statement: a stacked statement is refused.
  EXPECT_THROW(db_->write([](Session& s) { s.exec("DELETE FROM t; DROP TABLE t"); }), DbError);
  EXPECT_EQ(count_rows(*db_, "t"), 1);
  // Parameter count mismatch is an error, not a silent NULL.
  EXPECT_THROW(db_->read([](Session& s) { s.query("SELECT ? AS a, ? AS b", {std::int64_t{1}}); }), DbError);
}

TEST_P(StorageTest, ConstraintViolationsCarryTheirKind) {
  ddl("CREATE TABLE parent (" + pk() + ", email TEXT NOT NULL UNIQUE, n BIGINT CHECK (n > 0))");
  ddl("CREATE TABLE child (" + pk() + ", parent_id BIGINT NOT NULL REFERENCES parent (id))");
  std::int64_t pid = db_->write_value([](Session& s) {
    return s.insert("INSERT INTO parent (email, n) VALUES (?, ?)", {std::string("a@b.fr"), std::int64_t{1}});
  });
  using K = DbError::Kind;
  EXPECT_EQ(error_kind([&] {
    db_->write([](Session& s) { s.exec("INSERT INTO parent (email, n) VALUES (?, ?)", {std::string("a@b.fr"), std::int64_t{2}}); });
  }), K::unique_violation);
  EXPECT_EQ(error_kind([&] {
    db_->write([&](Session& s) { s.exec("INSERT INTO parent (id, email, n) VALUES (?, ?, ?)", {pid, std::string("z@b.fr"), std::int64_t{2}}); });
  }), K::unique_violation);  // primary key
  EXPECT_EQ(error_kind([&] {
    db_->write([](Session& s) { s.exec("INSERT INTO child (parent_id) VALUES (?)", {std::int64_t{999999}}); });
  }), K::foreign_key_violation);
  EXPECT_EQ(error_kind([&] {
    db_->write([](Session& s) { s.exec("INSERT INTO parent (email, n) VALUES (?, ?)", {std::string("c@b.fr"), std::int64_t{-1}}); });
  }), K::check_violation);
  EXPECT_EQ(error_kind([&] {
    db_->write([](Session& s) { s.exec("INSERT INTO parent (email, n) VALUES (?, ?)", {nullptr, std::int64_t{3}}); });
  }), K::not_null_violation);
  // Deleting a referenced parent is refused too.
  db_->write([&](Session& s) { s.exec("INSERT INTO child (parent_id) VALUES (?)", {pid}); });
  EXPECT_EQ(error_kind([&] {
    db_->write([&](Session& s) { s.exec("DELETE FROM parent WHERE id = ?", {pid}); });
  }), K::foreign_key_violation);
  EXPECT_EQ(count_rows(*db_, "parent"), 1);
  EXPECT_EQ(count_rows(*db_, "child"), 1);
}

TEST_P(StorageTest, ExceptionRollsBackTheWholeWrite) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT)");
  struct Boom : std::runtime_error {
    Boom() : std::runtime_error("boom") {}
  };
  EXPECT_THROW(db_->write([](Session& s) {
    s.exec("INSERT INTO t (s) VALUES (?)", {std::string("a")});
    s.exec("INSERT INTO t (s) VALUES (?)", {std::string("b")});
    throw Boom();  // the caller gets its own exception type back
  }), Boom);
  EXPECT_EQ(count_rows(*db_, "t"), 0);
  // A failed statement also rolls back what came before it in the same write.
  EXPECT_THROW(db_->write([](Session& s) {
    s.exec("INSERT INTO t (s) VALUES (?)", {std::string("a")});
    s.exec("INSERT INTO no_such_table (s) VALUES (?)", {std::string("b")});
  }), DbError);
  EXPECT_EQ(count_rows(*db_, "t"), 0);
}

TEST_P(StorageTest, FailingWriteInABatchDoesNotUndoTheOthers) {
  ddl("CREATE TABLE t (" + pk() + ", k BIGINT NOT NULL)");
  constexpr int kThreads = 8, kFailing = 5;
  std::atomic<bool> release{false};
  std::thread gate;
  if (sqlite()) {
    // Hold the writer in a job until the 8 writes below are all queued: they then run as one
    // batch (one transaction, one savepoint each), which is what this test is about.
    gate = std::thread([&] {
      db_->write([&](Session&) {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      });
    });
    while (db_->stats().in_use == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto before = db_->stats();
  std::vector<std::thread> threads;
  std::vector<int> failed(kThreads, 0);
  std::latch start(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      try {
        db_->write([&](Session& s) {
          s.exec("INSERT INTO t (k) VALUES (?)", {std::int64_t{t}});
          if (t == kFailing) throw std::runtime_error("this one fails");
        });
      } catch (const std::runtime_error& e) {
        failed[t] = 1;
      }
    });
  }
  if (sqlite()) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (db_->stats().waiting < kThreads && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(db_->stats().waiting, kThreads);
    release = true;
    gate.join();
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failed[t], t == kFailing ? 1 : 0) << "thread " << t;
  EXPECT_EQ(count_rows(*db_, "t"), kThreads - 1);
  EXPECT_EQ(db_->read_value([](Session& s) {
    return s.query("SELECT k FROM t WHERE k = ?", {std::int64_t{kFailing}}).size();
  }), 0u);
  if (sqlite()) {
    auto after = db_->stats();
    EXPECT_EQ(after.writes - before.writes, static_cast<std::uint64_t>(kThreads + 1));
    // The gate's batch, then the 8 queued writes in a single group commit.
    EXPECT_EQ(after.write_batches - before.write_batches, 2u);
  }
}

TEST_P(StorageTest, ReadSeesCommittedDataInAStableSnapshot) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT)");
  db_->write([](Session& s) { s.exec("INSERT INTO t (s) VALUES (?)", {std::string("one")}); });
  EXPECT_EQ(count_rows(*db_, "t"), 1);
  db_->read([&](Session& s) {
    EXPECT_EQ(as_int(s.query("SELECT COUNT(*) FROM t").rows[0][0]), 1);
    // A write committed by another thread while this read runs is not visible to it...
    std::thread([&] { db_->write([](Session& w) { w.exec("INSERT INTO t (s) VALUES (?)", {std::string("two")}); }); })
        .join();
    EXPECT_EQ(as_int(s.query("SELECT COUNT(*) FROM t").rows[0][0]), 1);
  });
  // ...and is to the next one.
  EXPECT_EQ(count_rows(*db_, "t"), 2);
  // A read cannot write.
  EXPECT_THROW(db_->read([](Session& s) { s.exec("INSERT INTO t (s) VALUES (?)", {std::string("x")}); }), DbError);
  EXPECT_EQ(count_rows(*db_, "t"), 2);
}

TEST_P(StorageTest, ConcurrentWritersAllLand) {
  ddl("CREATE TABLE t (" + pk() + ", th BIGINT NOT NULL, n BIGINT NOT NULL)");
  constexpr int kThreads = 8, kPerThread = 200;
  std::vector<std::vector<std::int64_t>> ids(kThreads);
  std::vector<std::thread> threads;
  std::latch start(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i)
        ids[t].push_back(db_->write_value([&](Session& s) {
          return s.insert("INSERT INTO t (th, n) VALUES (?, ?)", {std::int64_t{t}, std::int64_t{i}});
        }));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(count_rows(*db_, "t"), kThreads * kPerThread);
  std::set<std::int64_t> unique;
  for (auto& v : ids) unique.insert(v.begin(), v.end());
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kPerThread));
  auto st = db_->stats();
  EXPECT_GE(st.writes, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_GE(st.write_batches, 1u);
  EXPECT_LE(st.write_batches, st.writes);
}

TEST_P(StorageTest, InsertReturnsTheNewId) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT)");
  std::int64_t a = db_->write_value([](Session& s) { return s.insert("INSERT INTO t (s) VALUES (?)", {std::string("a")}); });
  std::int64_t b = db_->write_value([](Session& s) { return s.insert("INSERT INTO t (s) VALUES (?);  ", {std::string("b")}); });
  EXPECT_GT(a, 0);
  EXPECT_GT(b, a);
  EXPECT_EQ(db_->read_value([&](Session& s) { return as_text(s.query("SELECT s FROM t WHERE id = ?", {b}).rows[0][0]); }), "b");
  // exec() reports the rows changed.
  EXPECT_EQ(db_->write_value([](Session& s) { return s.exec("UPDATE t SET s = ?", {std::string("z")}); }), 2);
  EXPECT_EQ(db_->write_value([](Session& s) { return s.exec("UPDATE t SET s = ? WHERE id < 0", {std::string("z")}); }), 0);
}

TEST_P(StorageTest, NestedCallsRunInsideTheEnclosingTransaction) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT UNIQUE)");
  db_->write([&](Session& s) {
    s.exec("INSERT INTO t (s) VALUES (?)", {std::string("a")});
    // A nested write that fails is undone alone (the portable way to recover from an expected
    // error inside a transaction)...
    EXPECT_EQ(error_kind([&] {
      db_->write([](Session& n) { n.exec("INSERT INTO t (s) VALUES (?)", {std::string("a")}); });
    }), DbError::Kind::unique_violation);
    // ...a nested write that succeeds commits with the outer one...
    db_->write([](Session& n) { n.exec("INSERT INTO t (s) VALUES (?)", {std::string("b")}); });
    // ...and a nested read sees the transaction's own changes.
    db_->read([](Session& n) { EXPECT_EQ(as_int(n.query("SELECT COUNT(*) FROM t").rows[0][0]), 2); });
  });
  EXPECT_EQ(count_rows(*db_, "t"), 2);
  // read() inside read() reuses the snapshot (no second connection: a pool of 1 cannot deadlock).
  auto one = open_database(url_, {.readers = 1});
  one->read([&](Session&) { one->read([](Session& n) { n.query("SELECT 1"); }); });
  one->close();
}

TEST_P(StorageTest, MigrateAppliesEmbeddedMigrationsOnce) {
  EXPECT_EQ(current_schema_version(*db_), 0);
  const int target = max_embedded_version(db_->dialect());
  std::size_t count = 0;
  for (auto& m : embedded_migrations())
    if (std::string(m.dialect) == (sqlite() ? "sqlite" : "postgres")) ++count;
  MigrationReport first = migrate(*db_);
  EXPECT_EQ(first.from_version, 0);
  EXPECT_EQ(first.to_version, target);
  EXPECT_EQ(first.applied.size(), count);
  EXPECT_EQ(current_schema_version(*db_), target);
  EXPECT_EQ(count_rows(*db_, "schema_migrations"), static_cast<std::int64_t>(count));
  MigrationReport second = migrate(*db_);
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.from_version, target);
  EXPECT_EQ(second.to_version, target);
  EXPECT_EQ(count_rows(*db_, "schema_migrations"), static_cast<std::int64_t>(count));
}

TEST_P(StorageTest, MigrateFromTwoHandlesAtOnceAppliesEachMigrationOnce) {
  auto other = open_database(url_);
  std::vector<MigrationReport> reports(2);
  std::latch start(2);
  std::thread a([&] { start.arrive_and_wait(); reports[0] = migrate(*db_); });
  std::thread b([&] { start.arrive_and_wait(); reports[1] = migrate(*other); });
  a.join();
  b.join();
  other->close();
  const int target = max_embedded_version(db_->dialect());
  EXPECT_EQ(reports[0].to_version, target);
  EXPECT_EQ(reports[1].to_version, target);
  std::size_t count = 0;
  for (auto& m : embedded_migrations())
    if (std::string(m.dialect) == (sqlite() ? "sqlite" : "postgres")) ++count;
  EXPECT_EQ(reports[0].applied.size() + reports[1].applied.size(), count);
  EXPECT_EQ(count_rows(*db_, "schema_migrations"), static_cast<std::int64_t>(count));
}

TEST_P(StorageTest, HealthAndStats) {
  Health h = db_->health();
  EXPECT_TRUE(h.ok) << h.detail;
  EXPECT_EQ(h.engine, sqlite() ? "sqlite" : "postgresql");
  EXPECT_GE(h.latency_ms, 0);
  PoolStats st = db_->stats();
  EXPECT_GE(st.size, 1);
  EXPECT_EQ(st.in_use, 0);
  EXPECT_EQ(st.waiting, 0);
  db_->write([](Session&) {});
  EXPECT_EQ(db_->stats().writes, st.writes + 1);
}

TEST_P(StorageTest, ClosedDatabaseRefusesWork) {
  ddl("CREATE TABLE t (" + pk() + ", s TEXT)");
  db_->close();
  EXPECT_EQ(error_kind([&] { db_->read([](Session& s) { s.query("SELECT 1"); }); }), DbError::Kind::connection);
  EXPECT_EQ(error_kind([&] { db_->write([](Session&) {}); }), DbError::Kind::connection);
  EXPECT_FALSE(db_->health().ok);
  EXPECT_EQ(db_->stats().size, 0);
  db_->close();  // idempotent
}

TEST_P(StorageTest, CloseFinishesQueuedWrites) {
  ddl("CREATE TABLE t (" + pk() + ", n BIGINT)");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, refused{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      try {
        db_->write([&](Session& s) { s.exec("INSERT INTO t (n) VALUES (?)", {std::int64_t{t}}); });
        ++ok;
      } catch (const DbError& e) {
        EXPECT_EQ(e.kind, DbError::Kind::connection);
        ++refused;
      }
    });
  }
  db_->close();
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok + refused, 8);
  // Every write that reported success is there.
  auto again = open_database(url_);
  EXPECT_EQ(count_rows(*again, "t"), ok.load());
  again->close();
}

TEST_P(StorageTest, CallersBeyondThePoolSizeWaitAndAreCounted) {
  auto db = open_database(url_, {.readers = 1});
  std::atomic<bool> holding{false}, release{false};
  std::thread holder([&] {
    db->read([&](Session&) {
      holding = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  });
  while (!holding) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread waiter([&] { db->read([](Session& s) { s.query("SELECT 1"); }); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (db->stats().waiting == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(db->stats().waiting, 1);
  EXPECT_EQ(db->stats().in_use, 1);
  release = true;
  holder.join();
  waiter.join();
  EXPECT_EQ(db->stats().waiting, 0);
  EXPECT_EQ(db->stats().in_use, 0);
  db->close();
}

TEST_P(StorageTest, CopyRowsLoadsEveryValueTypeInTheTransaction) {
  ddl("CREATE TABLE bulk (" + pk() + ", n " + (sqlite() ? "INTEGER" : "BIGINT") + ", x " +
      (sqlite() ? "REAL" : "DOUBLE PRECISION") + ", t TEXT, k TEXT UNIQUE)");
  // Text that the COPY text format must escape, and values that look like its markers.
  const std::vector<std::string> texts = {"plain", "tab\there", "line\nbreak", "cr\rhere", "back\\slash",
                                          "\\N", "N", "é ü 🙂", "", "'quote' \"double\"",
                                          // ~9 MB in all: the COPY is sent in several pieces
                                          std::string(100'000, 'x') + "\t\\\n"};
  const std::vector<std::string> columns = {"id", "n", "x", "t", "k"};
  Params values;
  const std::int64_t rows = 1003;  // not a multiple of the SQLite statement sizes
  for (std::int64_t i = 1; i <= rows; ++i) {
    std::int64_t n = (i % 3 ? 1 : -1) * i * 1'000'000'007LL;
    if (i % 13 == 0) n = i % 2 ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
    values.emplace_back(i);
    if (i % 7 == 0) values.emplace_back(nullptr);
    else values.emplace_back(n);
    if (i % 5 == 0) values.emplace_back(nullptr);
    else values.emplace_back(static_cast<double>(i) / 3.0);
    if (i % 17 == 0) values.emplace_back(nullptr);
    else values.emplace_back(texts[static_cast<std::size_t>(i) % texts.size()]);
    values.emplace_back(fmt::format("k{}", i));
  }
  EXPECT_EQ(db_->write_value([&](Session& s) { return s.copy_rows("bulk", columns, values); }), rows);
  auto got = db_->read_value([](Session& s) { return s.query("SELECT id, n, x, t, k FROM bulk ORDER BY id"); });
  ASSERT_EQ(got.size(), static_cast<std::size_t>(rows));
  for (std::size_t r = 0; r < got.size(); ++r)
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Value& want = values[r * columns.size() + c];
      if (auto* d = std::get_if<double>(&want)) EXPECT_DOUBLE_EQ(as_double(got.rows[r][c]), *d) << r << "," << c;
      else EXPECT_EQ(got.rows[r][c], want) << "row " << r << " column " << columns[c];
    }
  EXPECT_EQ(db_->write_value([&](Session& s) { return s.copy_rows("bulk", columns, {}); }), 0);
  EXPECT_THROW(db_->write([&](Session& s) { s.copy_rows("bulk", columns, {std::int64_t{1}, std::int64_t{2}}); }),
               std::invalid_argument);

  // A unique violation: its kind, and nothing of the call stays (nested write → savepoint), while
  // the enclosing transaction goes on.
  Params dup = {std::int64_t{5000}, nullptr, nullptr, std::string("a"), std::string("dup"),
                std::int64_t{5001}, nullptr, nullptr, std::string("b"), std::string("k1")};
  db_->write([&](Session& s) {
    EXPECT_EQ(error_kind([&] { db_->write([&](Session& inner) { inner.copy_rows("bulk", columns, dup); }); }),
              DbError::Kind::unique_violation);
    s.exec("INSERT INTO bulk (id, k) VALUES (6000, 'after')");
  });
  EXPECT_EQ(count_rows(*db_, "bulk"), rows + 1);
  EXPECT_EQ(db_->read_value([](Session& s) { return as_int(s.query("SELECT COUNT(*) FROM bulk WHERE id = 5000").rows[0][0]); }), 0);

  // An unknown column, a NOT NULL… any error is a DbError; the transaction that made it rolls
  // back (rows it had written before included), what was committed before stays, and the
  // connection serves the next transaction.
  ddl("CREATE TABLE bulk_child (" + pk() + ", bulk_id " + (sqlite() ? "INTEGER" : "BIGINT") +
      " NOT NULL REFERENCES bulk(id), t TEXT)");
  const std::vector<std::string> child = {"id", "bulk_id", "t"};
  EXPECT_THROW(db_->write([&](Session& s) {
    s.copy_rows("bulk_child", child, {std::int64_t{1}, std::int64_t{1}, std::string("kept?")});
    s.copy_rows("bulk_child", {"id", "bulk_id", "nope"}, {std::int64_t{2}, std::int64_t{1}, std::string("x")});
  }), DbError);
  EXPECT_EQ(error_kind([&] {
              db_->write([&](Session& s) {
                s.copy_rows("bulk_child", child, {std::int64_t{3}, std::int64_t{2}, std::string("a"),
                                                  std::int64_t{4}, nullptr, std::string("b")});
              });
            }),
            DbError::Kind::not_null_violation);
  EXPECT_EQ(count_rows(*db_, "bulk_child"), 0);
  EXPECT_EQ(count_rows(*db_, "bulk"), rows + 1);
  // In one write transaction, with other statements around it: the rows are visible to the
  // statements that follow, and committed with them.
  db_->write([&](Session& s) {
    s.exec("DELETE FROM bulk WHERE id > ?", {std::int64_t{1000}});
    EXPECT_EQ(s.copy_rows("bulk_child", child, {std::int64_t{10}, std::int64_t{1}, std::string("un"),
                                                 std::int64_t{11}, std::int64_t{2}, std::string("deux")}),
              2);
    EXPECT_EQ(as_int(s.query("SELECT COUNT(*) FROM bulk_child c JOIN bulk b ON b.id = c.bulk_id").rows[0][0]), 2);
  });
  EXPECT_EQ(count_rows(*db_, "bulk_child"), 2);
  EXPECT_EQ(count_rows(*db_, "bulk"), 1000);
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// ---------------------------------------------------------------------------------------------
// Engine-independent pieces.

TEST(StorageValues, Accessors) {
  EXPECT_EQ(as_int(Value{std::int64_t{7}}), 7);
  EXPECT_EQ(as_int(Value{std::string("42")}), 42);
  EXPECT_EQ(as_int(Value{std::string("-9")}), -9);
  EXPECT_EQ(as_int(Value{3.0}), 3);
  EXPECT_THROW(as_int(Value{3.5}), DbError);
  EXPECT_THROW(as_int(Value{std::string("12abc")}), DbError);
  EXPECT_THROW(as_int(Value{std::string("")}), DbError);
  EXPECT_THROW(as_int(Value{nullptr}), DbError);
  EXPECT_EQ(as_opt_int(Value{nullptr}), std::nullopt);
  EXPECT_EQ(as_opt_int(Value{std::int64_t{1}}), 1);
  EXPECT_EQ(as_text(Value{nullptr}), "");
  EXPECT_EQ(as_text(Value{std::int64_t{-3}}), "-3");
  EXPECT_EQ(as_text(Value{0.5}), "0.5");
  EXPECT_EQ(as_opt_text(Value{nullptr}), std::nullopt);
  EXPECT_EQ(as_opt_text(Value{std::string("x")}), "x");
  EXPECT_EQ(as_double(Value{std::int64_t{2}}), 2.0);
  EXPECT_EQ(as_double(Value{std::string("2.25")}), 2.25);
  EXPECT_THROW(as_double(Value{nullptr}), DbError);
  EXPECT_TRUE(is_null(Value{nullptr}));
  EXPECT_FALSE(is_null(Value{std::string()}));
}

TEST(StoragePlaceholders, RewritesOnlyRealPlaceholders) {
  using coop::storage::postgres::rewrite_placeholders;
  auto r = rewrite_placeholders("SELECT * FROM t WHERE a = ? AND b = ?");
  EXPECT_EQ(r.sql, "SELECT * FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(r.params, 2);
  EXPECT_EQ(rewrite_placeholders("SELECT '?', 'it''s ?', ? FROM t").sql, "SELECT '?', 'it''s ?', $1 FROM t");
  EXPECT_EQ(rewrite_placeholders("SELECT \"we?ird\"\"?\" FROM t WHERE x = ?").sql,
            "SELECT \"we?ird\"\"?\" FROM t WHERE x = $1");
  EXPECT_EQ(rewrite_placeholders("SELECT ? -- why?\n, ? /* what? /* nested? */ still? */ , ?").sql,
            "SELECT $1 -- why?\n, $2 /* what? /* nested? */ still? */ , $3");
  EXPECT_EQ(rewrite_placeholders("SELECT E'\\'?', ?").sql, "SELECT E'\\'?', $1");
  EXPECT_EQ(rewrite_placeholders("SELECT 'a\\', ?").sql, "SELECT 'a\\', $1");  // standard string: \ is plain
  EXPECT_EQ(rewrite_placeholders("SELECT $$ ? $$, $tag$ '?' $tag$, ?").sql, "SELECT $$ ? $$, $tag$ '?' $tag$, $1");
  EXPECT_EQ(rewrite_placeholders("SELECT ? WHERE 'unterminated ?").params, 1);
  EXPECT_EQ(rewrite_placeholders("").params, 0);
}

TEST(StorageOpen, BadUrlsThrowConnectionErrors) {
  EXPECT_EQ(error_kind([] { open_database("sqlite:/dev/null/x/y.db"); }), DbError::Kind::connection);
  EXPECT_EQ(error_kind([] { open_database("mysql://x"); }), DbError::Kind::connection);
  EXPECT_EQ(error_kind([] { open_database("sqlite:"); }), DbError::Kind::connection);
  // Nothing listens on port 1.
  EXPECT_EQ(error_kind([] { open_database("postgresql://coop:coop@127.0.0.1:1/none?connect_timeout=2"); }),
            DbError::Kind::connection);
  // A file that is not a database.
  std::string dir = make_temp_dir();
  std::ofstream(dir + "/junk.db") << "this is not a database file, not at all, really not one";
  EXPECT_EQ(error_kind([&] { open_database(dir + "/junk.db"); }), DbError::Kind::connection);
  fs::remove_all(dir);
}

TEST(StorageOpen, SqliteCreatesTheDatabaseDirectory) {
  std::string dir = make_temp_dir();
  auto db = open_database("sqlite:" + dir + "/data/sub/coop.db");
  db->write([](Session& s) { s.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY)"); });
  db->close();
  EXPECT_TRUE(fs::exists(dir + "/data/sub/coop.db"));
  fs::remove_all(dir);
}

TEST(StorageOpen, MemoryDatabaseIsSharedByItsConnections) {
  auto db = open_database("sqlite::memory:", {.readers = 2});
  db->write([](Session& s) {
    s.exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT); INSERT INTO t (s) VALUES ('a');");
  });
  EXPECT_EQ(count_rows(*db, "t"), 1);  // read on a reader connection
  db->close();
}

TEST(StorageMetrics, PoolGaugesFollowTheOpenDatabases) {
  auto& metrics = coop::core::Metrics::global();
  auto db = open_database("sqlite::memory:", {.readers = 2});
  std::string text = metrics.render();
  EXPECT_NE(text.find("coop_db_pool_size 3\n"), std::string::npos) << text;  // 2 readers + the writer
  EXPECT_NE(text.find("coop_db_pool_in_use 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("coop_db_pool_waiting 0\n"), std::string::npos) << text;
  db->close();
  db.reset();
  // The gauges outlive the database without touching it.
  text = metrics.render();
  EXPECT_NE(text.find("coop_db_pool_size 0\n"), std::string::npos) << text;
}

// A connection killed by the server is replaced transparently at the next transaction.
TEST(StoragePostgres, ReconnectsAfterTheServerDropsAConnection) {
  std::string url = env("COOP_TEST_PG_URL");
  if (url.empty()) {
    if (env("COOP_TEST_NO_PG") == "1") GTEST_SKIP() << "COOP_TEST_NO_PG=1: PostgreSQL tests skipped";
    FAIL() << "COOP_TEST_PG_URL is not set (see the top of storage_test.cpp); COOP_TEST_NO_PG=1 skips explicitly.";
  }
  auto db = open_database(url, {.readers = 1});
  auto backend = [&] { return db->read_value([](Session& s) { return as_int(s.query("SELECT pg_backend_pid()").rows[0][0]); }); };
  auto pid = backend();
  auto admin = open_database(url, {.readers = 1});
  // An int64 parameter where the function takes int4: the engine falls back to untyped parameters.
  admin->write([&](Session& s) { s.query("SELECT pg_terminate_backend(?)", {pid}); });
  admin->close();
  auto pid2 = backend();  // must not fail
  EXPECT_NE(pid, pid2);
  EXPECT_EQ(db->stats().size, 1);
  db->close();
}

// Kill -9 in the middle of a stream of writes: every write() that had returned must be in the
// database when it is reopened (WAL + synchronous=NORMAL, see sqlite_database.cpp).
TEST(StorageDurability, SqliteAcknowledgedWritesSurviveKill9) {
  std::string dir = make_temp_dir();
  std::string url = "sqlite:" + dir + "/durable.db";
  {
    auto db = open_database(url);
    db->write([](Session& s) { s.exec_script("CREATE TABLE d (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)"); });
    db->close();
  }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Child: 4 threads write as fast as they can and report each acknowledged id (an 8-byte
    // write to a pipe is atomic). It never finishes on its own before the parent kills it.
    ::close(fds[0]);
    try {
      auto db = open_database(url);
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < 1000000; ++i) {
            std::int64_t id = db->write_value([&](Session& s) {
              return s.insert("INSERT INTO d (payload) VALUES (?)", {fmt::format("p{}", t * 1000000 + i)});
            });
            if (::write(fds[1], &id, sizeof id) != sizeof id) ::_exit(4);
          }
        });
      }
      for (auto& th : threads) th.join();
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::vector<std::int64_t> acked;
  std::int64_t id = 0;
  bool killed = false;
  while (true) {
    ssize_t n = ::read(fds[0], &id, sizeof id);
    if (n != sizeof id) break;  // EOF once the child is dead
    acked.push_back(id);
    if (!killed && acked.size() >= 400) {
      ::kill(child, SIGKILL);
      killed = true;
    }
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ASSERT_GE(acked.size(), 400u);

  auto db = open_database(url);
  std::set<std::int64_t> present;
  db->read([&](Session& s) {
    for (auto& row : s.query("SELECT id FROM d").rows) present.insert(as_int(row[0]));
  });
  std::size_t missing = 0;
  for (auto a : acked) missing += present.count(a) ? 0 : 1;
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged writes";
  EXPECT_GE(present.size(), acked.size());
  db->close();
  fs::remove_all(dir);
}

}  // namespace
