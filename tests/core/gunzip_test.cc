// The CLI's gzip reader (zlib): a whole stream inflates; anything else is a one-line error.
#include <catch2/catch.hpp>

#include "gunzip.h"

using ppemu::Result;

namespace {

// gzip -n of the 9 bytes {"a": 1}\n (Python's gzip.compress(..., mtime=0)).
const std::string kGzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\x4a\x54\xb2\x52\x30\xac\xe5\x02\x00\xfa\xa1\x47\x5c\x09\x00\x00\x00", 29);

}  // namespace

TEST_CASE("gunzip inflates a gzip stream, two members as gzip -d does") {
  Result<std::string> r = ppemu::gunzip(kGzip, 1 << 20);
  REQUIRE(r.ok());
  CHECK(r.value() == "{\"a\": 1}\n");
  Result<std::string> twice = ppemu::gunzip(kGzip + kGzip, 1 << 20);
  REQUIRE(twice.ok());
  CHECK(twice.value() == "{\"a\": 1}\n{\"a\": 1}\n");
}

TEST_CASE("gunzip refuses what is not a whole gzip stream") {
  CHECK(ppemu::gunzip("{\"a\": 1}", 1 << 20).error() == "not gzip data (gzip files start with the bytes 1f 8b)");
  CHECK(ppemu::gunzip(kGzip.substr(0, 20), 1 << 20).error() == "the gzip data is cut short");
  std::string corrupt = kGzip;
  corrupt[12] = '\xff';
  CHECK_THAT(ppemu::gunzip(corrupt, 1 << 20).error(), Catch::Matchers::StartsWith("the gzip data is corrupt"));
  CHECK(ppemu::gunzip(kGzip, 4).error() == "it inflates to more than 0 MB, the limit per trace file");
}
