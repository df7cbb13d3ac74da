// The workbench's files: `vigil serve` answers every path outside the API
// (/v1/..., /openapi.json, /healthz) from a directory holding the built
// single-page application (web/dist), with security headers on every reply.
//
// Paths are resolved under the root only: a path with a ".." or "." segment,
// a backslash or a NUL byte is refused (404), and a resolved file must lie
// inside the root's canonical path (symbolic links out of it are refused).
// An unknown path outside /assets/ answers index.html, so that the client's
// router can show it; a missing file under /assets/ answers 404.
// Hashed build assets (/assets/...) may be cached for a year (immutable);
// everything else, index.html first, must be revalidated (no-cache).
#ifndef VIGIL_SERVER_STATIC_FILES_H_
#define VIGIL_SERVER_STATIC_FILES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil::server {

// The Content-Security-Policy of the workbench's pages: everything from the
// server's own origin, no inline script, no other origin, no framing.
inline constexpr std::string_view kWorkbenchCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// Headers every reply carries, API and files alike.
std::vector<std::pair<std::string, std::string>> SecurityHeaders();

// True for the API's paths, which the dispatcher answers: "/v1" and below,
// "/openapi.json" and "/healthz". O(length).
bool IsApiPath(std::string_view path);

// The media type of a file by its extension ("application/octet-stream"
// when unknown). O(1).
std::string ContentTypeFor(std::string_view file_name);

struct StaticReply {
  int status = 200;
  std::string content_type;
  std::string body;
  // Cache-Control and the security headers.
  std::vector<std::pair<std::string, std::string>> headers;
};

// The reply to GET `path` (already percent-decoded) from the directory
// `root`. 404 (plain text) for a refused or missing path, 500 when the file
// cannot be read. Cost: one stat and one read of the file.
// Thread-safety: safe (reads only).
StaticReply ServeStaticFile(const std::string& root, std::string_view path);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_STATIC_FILES_H_
