#pragma once
// A JSON writer that streams: the exports write their large arrays (ops, series, trace events)
// value by value instead of building nlohmann's DOM, and hand small parts (the config, formulas,
// the projection) to nlohmann's own serializer. The text is byte for byte what
// nlohmann::json::dump(indent) writes for the same document, so that the writer can replace the
// DOM without changing a file:
//   - doubles through nlohmann's to_chars (Grisu2, shortest round-trip, "2.0" for whole numbers,
//     exponents as "1e+300"), non-finite as null; integers in decimal; bools as true/false;
//   - objects' keys in std::map order (nlohmann's default object is a std::map): the callers
//     write keys sorted, and tests/core/export_stream_test.cc compares with the DOM;
//   - dump(indent >= 0): a newline and indent before each element and before the closing
//     bracket of a non-empty container, "key": value with one space; empty containers as {} / [].
// Text goes to `out`; with a sink, every ~64 KiB of it is handed over and `out` cleared, so the
// memory stays O(1) in the document's size.
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ppemu/export.h"

namespace ppemu::detail {

class JsonStream {
 public:
  JsonStream(std::string& out, int indent, const TextSink* sink = nullptr) : out_(out), indent_(indent), sink_(sink) {}
  ~JsonStream() = default;

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// An object's key; the next call writes its value.
  void key(std::string_view k) {
    element();
    out_ += '"';
    out_ += k;  // the exports' keys are fixed identifiers: nothing to escape
    out_ += indent_ >= 0 ? "\": " : "\":";
    after_key_ = true;
  }

  template <class T>
  void value(T v) {
    element();
    if constexpr (std::is_same_v<T, bool>) {
      out_ += v ? "true" : "false";
    } else if constexpr (std::is_floating_point_v<T>) {
      number(static_cast<double>(v));
    } else {
      static_assert(std::is_integral_v<T>, "value() takes numbers and bools; strings go to string()");
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v);
      out_.append(buf, static_cast<size_t>(r.ptr - buf));
    }
    flush_if_full();
  }

  /// A string as nlohmann writes it (ensure_ascii off): plain printable ASCII as it is, anything
  /// else through its serializer's escaping.
  void string(std::string_view s) {
    element();
    bool plain = true;
    for (char ch : s) plain = plain && static_cast<unsigned char>(ch) >= 0x20 && static_cast<unsigned char>(ch) < 0x7f && ch != '"' && ch != '\\';
    if (plain) {
      out_ += '"';
      out_ += s;
      out_ += '"';
    } else {
      dump_value(nlohmann::json(std::string(s)));
    }
  }

  /// `key: number`, `key: string`: the shapes most fields take.
  template <class T>
  void field(std::string_view k, T v) {
    key(k);
    value(v);
  }
  void string_field(std::string_view k, std::string_view s) {
    key(k);
    string(s);
  }

  /// A small part written by nlohmann's serializer at the current depth.
  void json(const nlohmann::json& j) {
    element();
    dump_value(j);
    flush_if_full();
  }

  /// Hands what is buffered to the sink (at the end of a document).
  void flush() {
    if (sink_ && !out_.empty()) {
      (*sink_)(out_);
      out_.clear();
    }
  }

 private:
  static constexpr size_t kChunkBytes = size_t{1} << 16;

  struct Level {
    size_t count = 0;
  };

  void number(double x) {
    if (!std::isfinite(x)) {
      out_ += "null";
      return;
    }
    char buf[64];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, x);
    out_.append(buf, static_cast<size_t>(end - buf));
  }

  // Before a value in an array or a key in an object: the comma and, pretty printed, a newline
  // and the indent. A value right after its key needs neither.
  void element() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (levels_.empty()) return;
    Level& level = levels_.back();
    if (level.count++ > 0) out_ += ',';
    if (indent_ >= 0) newline(levels_.size());
  }

  void open(char bracket) {
    element();
    out_ += bracket;
    levels_.push_back({});
  }

  void close(char bracket) {
    const bool empty = levels_.back().count == 0;
    levels_.pop_back();
    if (!empty && indent_ >= 0) newline(levels_.size());
    out_ += bracket;
    flush_if_full();
  }

  void newline(size_t depth) {
    out_ += '\n';
    out_.append(depth * static_cast<size_t>(indent_), ' ');
  }

  void dump_value(const nlohmann::json& j) {
    using Serializer = nlohmann::detail::serializer<nlohmann::json>;
    // Valid UTF-8 as the DOM writes it; a byte that is not becomes U+FFFD instead of an exception.
    Serializer s(nlohmann::detail::output_adapter<char, std::string>(out_), ' ', nlohmann::json::error_handler_t::replace);
    const unsigned step = indent_ >= 0 ? static_cast<unsigned>(indent_) : 0;
    s.dump(j, indent_ >= 0, false, step, static_cast<unsigned>(levels_.size()) * step);
  }

  void flush_if_full() {
    if (sink_ && out_.size() >= kChunkBytes) flush();
  }

  std::string& out_;
  const int indent_;
  const TextSink* sink_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace ppemu::detail
