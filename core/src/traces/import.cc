// import_trace: checks each file's size and compression, decides the format, hands the files to
// that format's reader and the result to build_measured.
#include <cstring>

#include "ppemu/trace_import.h"
#include "traces/measured.h"

namespace ppemu {
namespace {

struct FormatInfo {
  TraceFormat format;
  const char* name;
  const char* title;
};
constexpr FormatInfo kFormats[] = {
    {TraceFormat::Auto, "auto", "trace"},
    {TraceFormat::PyTorch, "pytorch", "PyTorch profiler trace"},
    {TraceFormat::Megatron, "megatron", "Megatron-LM timer dump"},
    {TraceFormat::Ppemu, "ppemu", "ppemu trace"},
};

bool contains(std::string_view text, const char* needle) { return text.find(needle) != std::string_view::npos; }

// A file's format from its name and its first bytes; Auto when it is none of them.
TraceFormat sniff(const TraceFile& f) {
  if (detail::is_megatron_file_name(detail::base_name(f.name))) return TraceFormat::Megatron;
  const std::string_view head = f.text.substr(0, 4096);
  // to_trace writes its process_name event first: {"displayTimeUnit":"ms","traceEvents":[{"args":{"name":"ppemu <strategy>"}...
  if (contains(head, "\"name\":\"ppemu ")) return TraceFormat::Ppemu;
  if (contains(head, "\"traceEvents\"") || contains(head, "\"PP:")) return TraceFormat::PyTorch;
  if (contains(head, "\"forward-") || contains(head, "\"backward-")) return TraceFormat::Megatron;
  const size_t first = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string_view::npos && (head[first] == '{' || head[first] == '[')) return TraceFormat::PyTorch;
  return TraceFormat::Auto;
}

}  // namespace

Result<TraceFormat> parse_trace_format(std::string_view word) {
  for (const FormatInfo& f : kFormats)
    if (word == f.name) return f.format;
  return Error{"the trace format must be auto, pytorch, megatron or ppemu (got '" + std::string(word.substr(0, 40)) + "')"};
}

const char* trace_format_name(TraceFormat format) { return kFormats[static_cast<int>(format)].name; }
const char* trace_format_title(TraceFormat format) { return kFormats[static_cast<int>(format)].title; }

bool is_gzip(std::string_view text) {
  if (text.size() < 2 || text[0] != '\x1f') return false;
  // The magic bytes as they are, or as a page that read the file as text passes them on: byte
  // 0x8b as the UTF-8 of U+008B, or as the replacement character TextDecoder puts for it.
  return text[1] == '\x8b' || text.substr(1, 2) == "\xc2\x8b" || text.substr(1, 3) == "\xef\xbf\xbd";
}

Result<MeasuredRun> import_trace(const std::vector<TraceFile>& files, const TraceOptions& options) {
  if (files.empty()) return Error{"no trace files given"};
  for (const TraceFile& f : files) {
    if (f.text.size() > options.max_file_bytes)
      return Error{f.name + " is " + std::to_string(f.text.size() >> 20) + " MB, more than the limit of " +
                   std::to_string(options.max_file_bytes >> 20) + " MB per trace file"};
    if (is_gzip(f.text))
      return Error{f.name + " is gzip-compressed; decompress it first (the CLI does it itself; in the browser use DecompressionStream('gzip'))"};
    if (f.text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Error{f.name + " is empty"};
  }
  TraceFormat format = options.format;
  if (format == TraceFormat::Auto) {
    // A Megatron set is recognised by its file names, as PP-Emulation's plot.py finds it in a folder
    // among other files; any other set must be of one format.
    for (const TraceFile& f : files)
      if (sniff(f) == TraceFormat::Megatron && detail::is_megatron_file_name(detail::base_name(f.name))) format = TraceFormat::Megatron;
    if (format == TraceFormat::Auto) {
      const TraceFile* first = nullptr;
      for (const TraceFile& f : files) {
        const TraceFormat here = sniff(f);
        if (here == TraceFormat::Auto)
          return Error{f.name + " is not a trace ppemu reads (a PyTorch profiler or ppemu Chrome trace, or a Megatron timer dump); "
                                "--trace-format names the format"};
        if (!first) {
          first = &f;
          format = here;
        } else if (here != format) {
          return Error{first->name + " is a " + trace_format_title(format) + " but " + f.name + " is a " + trace_format_title(here) +
                       "; give the files of one format"};
        }
      }
    }
  }
  Result<detail::ReadTrace> read = Error{"internal: no reader"};
  switch (format) {
    case TraceFormat::PyTorch: read = detail::read_pytorch_profiler(files, options); break;
    case TraceFormat::Megatron: read = detail::read_megatron_timers(files, options); break;
    case TraceFormat::Ppemu: read = detail::read_ppemu_trace(files, options); break;
    case TraceFormat::Auto: break;
  }
  if (!read.ok()) return Error{read.error()};
  return detail::build_measured(std::move(read).value(), options);
}

}  // namespace ppemu
