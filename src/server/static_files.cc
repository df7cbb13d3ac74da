#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace vigil::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

StaticReply NotFoundReply() {
  StaticReply reply;
  reply.status = 404;
  reply.content_type = "text/plain; charset=utf-8";
  reply.body = "not found\n";
  reply.headers = SecurityHeaders();
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// True when no segment of `path` is "." or "..", and it holds no backslash
// or NUL byte.
bool SafePath(std::string_view path) {
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// The canonical form of `file` when it exists, is a regular file and lies
// inside `root` (already canonical); empty otherwise.
fs::path Inside(const fs::path& root, const fs::path& file) {
  std::error_code error;
  fs::path canonical = fs::canonical(file, error);
  if (error || !fs::is_regular_file(canonical, error) || error) return {};
  const std::string base = root.string() + "/";
  if (!StartsWith(canonical.string(), base)) return {};
  return canonical;
}

StaticReply FileReply(const fs::path& file, std::string_view cache) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in.good() && !in.eof()) {
    StaticReply reply;
    reply.status = 500;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = "cannot read file\n";
    reply.headers = SecurityHeaders();
    return reply;
  }
  StaticReply reply;
  reply.content_type = ContentTypeFor(file.filename().string());
  reply.body = std::move(content).str();
  reply.headers = SecurityHeaders();
  reply.headers.emplace_back("Cache-Control", std::string(cache));
  return reply;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SecurityHeaders() {
  return {{"Content-Security-Policy", std::string(kWorkbenchCsp)},
          {"X-Content-Type-Options", "nosniff"},
          {"X-Frame-Options", "DENY"},
          {"Referrer-Policy", "no-referrer"},
          {"Cross-Origin-Opener-Policy", "same-origin"},
          {"Cross-Origin-Resource-Policy", "same-origin"}};
}

bool IsApiPath(std::string_view path) {
  return path == "/v1" || StartsWith(path, "/v1/") || path == "/openapi.json" || path == "/healthz";
}

std::string ContentTypeFor(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : file_name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "wasm") return "application/wasm";
  return "application/octet-stream";
}

StaticReply ServeStaticFile(const std::string& root, std::string_view path) {
  if (path.empty() || path.front() != '/' || !SafePath(path)) return NotFoundReply();
  std::error_code error;
  const fs::path base = fs::canonical(root, error);
  if (error) return NotFoundReply();
  const bool asset = StartsWith(path, "/assets/");
  if (path != "/") {
    const fs::path file = Inside(base, base / fs::path(path.substr(1)));
    if (!file.empty()) return FileReply(file, asset ? kImmutable : kRevalidate);
    if (asset) return NotFoundReply();
  }
  const fs::path index = Inside(base, base / "index.html");
  if (index.empty()) return NotFoundReply();
  return FileReply(index, kRevalidate);
}

}  // namespace vigil::server
