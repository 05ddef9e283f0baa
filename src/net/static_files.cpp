#include "net/static_files.hpp"

#include <zlib.h>

#include <array>
#include <charconv>
#include <fstream>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/responses.hpp"

namespace coop::net {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMinGzipSize = 64;                 // smaller files are sent as they are
constexpr std::size_t kMaxGzipSize = 16 * 1024 * 1024;   // larger ones too (not cached)
constexpr std::size_t kGzipCacheLimit = 64 * 1024 * 1024;  // total compressed bytes kept

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoCache = "no-cache";

struct TypeInfo {
  std::string_view ext;
  std::string_view type;
  bool compressible;
};

constexpr std::array<TypeInfo, 17> kTypes{{
    {"html", "text/html; charset=utf-8", true},
    {"js", "text/javascript; charset=utf-8", true},
    {"mjs", "text/javascript; charset=utf-8", true},
    {"css", "text/css; charset=utf-8", true},
    {"json", "application/json; charset=utf-8", true},
    {"map", "application/json; charset=utf-8", true},
    {"webmanifest", "application/manifest+json", true},
    {"svg", "image/svg+xml", true},
    {"txt", "text/plain; charset=utf-8", true},
    {"png", "image/png", false},
    {"jpg", "image/jpeg", false},
    {"jpeg", "image/jpeg", false},
    {"webp", "image/webp", false},
    {"ico", "image/x-icon", false},
    {"woff", "font/woff", false},
    {"woff2", "font/woff2", false},
    {"ttf", "font/ttf", false},
}};

const TypeInfo* find_type(std::string_view ext) {
  for (const auto& t : kTypes)
    if (t.ext == ext) return &t;
  return nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Calls fn(item) for each comma-separated, trimmed, non-empty item of a header value.
template <typename Fn>
void for_each_item(std::string_view value, Fn&& fn) {
  while (!value.empty()) {
    auto comma = value.find(',');
    auto item = trim(value.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// If-None-Match: "*" or a list of (possibly weak) entity tags; weak comparison as RFC 9110 asks.
bool etag_matches(std::string_view header, std::string_view a, std::string_view b) {
  bool match = false;
  for_each_item(header, [&](std::string_view tag) {
    if (tag == "*") match = true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == a || tag == b) match = true;
  });
  return match;
}

bool gzip_compress(const std::string& in, std::string& out) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer rather than a zlib one.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END;
}

bool read_file(const fs::path& path, std::uintmax_t size, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.resize(static_cast<std::size_t>(size));
  in.read(out.data(), static_cast<std::streamsize>(size));
  out.resize(static_cast<std::size_t>(in.gcount()));  // the file may have shrunk meanwhile
  return !in.bad();
}

}  // namespace

struct StaticFiles::File {
  fs::path path;    // canonical
  std::string rel;  // relative to the root, '/'-separated, e.g. "assets/index-3f2a.js"
  std::string ext;  // lower-case, without the dot
  std::uintmax_t size = 0;
  std::int64_t mtime = 0;
};

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  root_ = fs::weakly_canonical(fs::absolute(root, ec), ec);
  if (ec) root_ = std::move(root);
  root_prefix_ = root_.string();
  if (root_prefix_.empty() || root_prefix_.back() != '/') root_prefix_ += '/';
  if (!fs::is_directory(root_, ec)) spdlog::warn("static: {} is not a directory", root_.string());
}

bool StaticFiles::is_app_path(std::string_view path) {
  for (std::string_view prefix : {"/api", "/ws", "/metrics"}) {
    if (path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/')) return true;
  }
  return false;
}

std::string_view StaticFiles::content_type(std::string_view extension) {
  const auto* t = find_type(lower(extension));
  return t ? t->type : "application/octet-stream";
}

bool StaticFiles::compressible(std::string_view extension) {
  const auto* t = find_type(lower(extension));
  return t && t->compressible;
}

bool StaticFiles::accepts_gzip(std::string_view accept_encoding) {
  std::optional<double> gzip_q, star_q;
  for_each_item(accept_encoding, [&](std::string_view item) {
    auto semi = item.find(';');
    std::string coding = lower(trim(item.substr(0, semi)));
    double q = 1;
    if (semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      auto qpos = params.find("q=");
      if (qpos != std::string_view::npos) {
        auto v = trim(params.substr(qpos + 2));
        auto r = std::from_chars(v.data(), v.data() + v.size(), q);
        if (r.ec != std::errc()) q = 0;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") gzip_q = q;
    if (coding == "*") star_q = q;
  });
  if (gzip_q) return *gzip_q > 0;
  return star_q && *star_q > 0;
}

http::Response StaticFiles::serve(const http::Request& req) {
  const std::string& p = req.path;
  if (p.empty() || p.front() != '/' || p.find('\0') != std::string::npos || p.find('\\') != std::string::npos)
    return json_error(400, "chemin_invalide", "Chemin de fichier invalide.");

  // Normalise: drop empty and "." segments, refuse "..", never serve hidden files (.env, .git…).
  std::string rel;
  std::string_view last;
  std::string_view rest(p);
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") return json_error(400, "chemin_invalide", "Chemin de fichier invalide.");
    if (seg.front() == '.') return json_error(404, "introuvable", "Fichier introuvable.");
    if (!rel.empty()) rel += '/';
    rel += seg;
    last = seg;
  }

  std::error_code ec;
  fs::path full = root_ / rel;
  auto st = fs::status(full, ec);
  if (!ec && fs::is_directory(st)) {
    rel = rel.empty() ? "index.html" : rel + "/index.html";
    full = root_ / rel;
    st = fs::status(full, ec);
  }
  if (ec || !fs::is_regular_file(st)) {
    // A client-side route (/activites/12) has no extension: the single-page app handles it.
    if (last.find('.') != std::string_view::npos) return json_error(404, "introuvable", "Fichier introuvable.");
    rel = "index.html";
    full = root_ / rel;
    st = fs::status(full, ec);
    if (ec || !fs::is_regular_file(st)) return json_error(404, "introuvable", "Fichier introuvable.");
  }

  // A symbolic link must not lead out of the root.
  File f;
  f.path = fs::canonical(full, ec);
  if (ec || !f.path.string().starts_with(root_prefix_)) return json_error(404, "introuvable", "Fichier introuvable.");
  f.size = fs::file_size(f.path, ec);
  if (ec) return json_error(404, "introuvable", "Fichier introuvable.");
  f.mtime = static_cast<std::int64_t>(fs::last_write_time(f.path, ec).time_since_epoch().count());
  f.rel = std::move(rel);
  auto slash = f.rel.rfind('/');
  auto dot = f.rel.rfind('.');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) f.ext = lower(f.rel.substr(dot + 1));
  return serve_file(req, f);
}

http::Response StaticFiles::serve_file(const http::Request& req, const File& f) {
  const auto* type = find_type(f.ext);
  const bool compress = type && type->compressible;
  auto ae = req.header("accept-encoding");
  const bool use_gzip =
      compress && f.size >= kMinGzipSize && f.size <= kMaxGzipSize && ae && accepts_gzip(*ae);

  // Strong validators per representation: size and mtime, plus "-gz" for the compressed bytes.
  std::string etag = fmt::format("\"{:x}-{:x}\"", f.size, static_cast<std::uint64_t>(f.mtime));
  std::string etag_gz = etag.substr(0, etag.size() - 1) + "-gz\"";

  http::Response r;
  r.content_type = type ? std::string(type->type) : "application/octet-stream";
  r.set_header("Cache-Control", std::string(f.rel.starts_with("assets/") ? kImmutable : kNoCache));
  r.set_header("ETag", use_gzip ? etag_gz : etag);
  r.set_header("X-Content-Type-Options", "nosniff");
  if (compress) r.set_header("Vary", "Accept-Encoding");

  if (auto inm = req.header("if-none-match"); inm && etag_matches(*inm, etag, etag_gz)) {
    r.status = 304;
    return r;
  }

  std::string plain;
  if (!read_file(f.path, f.size, plain)) return json_error(404, "introuvable", "Fichier introuvable.");
  if (use_gzip) {
    if (auto gz = gzipped(f, plain)) {
      r.body = *gz;
      r.set_header("Content-Encoding", "gzip");
      return r;
    }
    // Compression failed (should not happen): send the plain bytes under their own validator.
    for (auto& [name, value] : r.headers)
      if (name == "ETag") value = etag;
  }
  r.body = std::move(plain);
  return r;
}

std::shared_ptr<const std::string> StaticFiles::gzipped(const File& f, const std::string& plain) {
  const std::string key = f.path.string();
  {
    std::lock_guard lock(mu_);
    auto it = gz_cache_.find(key);
    if (it != gz_cache_.end() && it->second.size == f.size && it->second.mtime == f.mtime) return it->second.data;
  }
  // Compressed outside the lock: two threads may both compress a new file once; that is harmless.
  auto out = std::make_shared<std::string>();
  if (!gzip_compress(plain, *out)) return nullptr;
  std::shared_ptr<const std::string> data = std::move(out);
  std::lock_guard lock(mu_);
  auto& entry = gz_cache_[key];
  if (entry.data) gz_cache_bytes_ -= entry.data->size();
  if (gz_cache_bytes_ + data->size() > kGzipCacheLimit) {
    // A front end is a few megabytes: hitting the limit means many versions were deployed.
    // Starting again is simpler than LRU bookkeeping and costs one compression per file.
    gz_cache_.clear();
    gz_cache_bytes_ = 0;
  }
  gz_cache_[key] = GzEntry{f.size, f.mtime, data};
  gz_cache_bytes_ += data->size();
  return data;
}

}  // namespace coop::net
