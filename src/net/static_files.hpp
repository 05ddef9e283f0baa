// Static files of the built front end (Vite output): content types, cache policy, ETag / 304,
// gzip with an in-memory cache, and the index.html fallback for client-side routes.
// Beast-free and blocking (it reads files): the HTTP session calls it on a worker thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace coop::net {

class StaticFiles {
 public:
  // `root`: the directory served as "/". It need not exist yet (then every file is a 404).
  explicit StaticFiles(std::filesystem::path root);

  // True when the path belongs to the application rather than to the front end:
  // /api, /api/…, /ws, /ws/…, /metrics, /metrics/….
  static bool is_app_path(std::string_view path);

  // Serves a GET or HEAD request whose `path` is already percent-decoded (Request::parse_target).
  // Never throws. Returns 200, 304, 400 (traversal, NUL byte…) or 404, with a JSON error body for
  // the errors. The caller drops the body for HEAD.
  http::Response serve(const http::Request& req);

  // "text/css; charset=utf-8" for "css"…; application/octet-stream when unknown.
  static std::string_view content_type(std::string_view extension);
  static bool compressible(std::string_view extension);
  // Parses Accept-Encoding: true when gzip (or *) is accepted with a non-zero q-value.
  static bool accepts_gzip(std::string_view accept_encoding);

 private:
  struct File;
  http::Response serve_file(const http::Request& req, const File& file);
  // The gzip bytes of `file`, from the cache when size and mtime still match.
  std::shared_ptr<const std::string> gzipped(const File& file, const std::string& plain);

  std::filesystem::path root_;  // absolute, canonical when it exists
  std::string root_prefix_;     // root_ as a string with a trailing '/'

  struct GzEntry {
    std::uintmax_t size = 0;
    std::int64_t mtime = 0;
    std::shared_ptr<const std::string> data;
  };
  std::mutex mu_;  // guards the two fields below
  std::unordered_map<std::string, GzEntry> gz_cache_;  // absolute path -> compressed bytes
  std::size_t gz_cache_bytes_ = 0;
};

}  // namespace coop::net
