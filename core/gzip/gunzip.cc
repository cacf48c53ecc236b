#include "gunzip.h"

#include <zlib.h>

#include <climits>

namespace ppemu {

Result<std::string> gunzip(std::string_view data, size_t max_bytes) {
  if (data.size() < 2 || data[0] != '\x1f' || data[1] != '\x8b') return Error{"not gzip data (gzip files start with the bytes 1f 8b)"};
  if (data.size() > UINT_MAX) return Error{"more than 4 GB of compressed data"};
  z_stream z{};
  // 16 + MAX_WBITS: a gzip header and trailer around the deflate stream (zlib.h, inflateInit2).
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Error{"zlib could not start"};
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&z);
      return Error{"it inflates to more than " + std::to_string(max_bytes >> 20) + " MB, the limit per trace file"};
    }
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member follows
      continue;
    }
    if (z.avail_in == 0 && z.avail_out != 0) {
      rc = Z_BUF_ERROR;
      break;
    }
  }
  const std::string why = z.msg ? z.msg : "";
  inflateEnd(&z);
  if (rc == Z_STREAM_END) return out;
  if (rc == Z_BUF_ERROR) return Error{"the gzip data is cut short"};
  return Error{"the gzip data is corrupt" + (why.empty() ? std::string() : " (zlib: " + why + ")")};
}

}  // namespace ppemu
