#include "traces/chrome_events.h"
#include "traces/measured.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <vector>

namespace ppemu::detail {
namespace {

// nlohmann's SAX interface: each callback returns false to stop. Frames track where a value sits:
// the events array, an event object, its args object, or distributedInfo.
class Handler {
 public:
  Handler(const std::string& file, size_t size, const std::function<Status(const ChromeEvent&)>& sink, ChromeFile& top)
      : file_(file), size_(size), sink_(sink), top_(top) {}

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(int64_t v) { return number(static_cast<double>(v), std::to_string(v)); }
  bool number_unsigned(uint64_t v) { return number(static_cast<double>(v), std::to_string(v)); }
  bool number_float(double v, const std::string& text) { return number(v, text); }
  bool string(std::string& v) {
    if (in_event()) {
      const std::string& k = frames_.back().key;
      if (k == "name") event_.name = v;
      else if (k == "ph") event_.ph = v;
      else if (k == "cat") event_.cat = v;
      else if (k == "pid") event_.pid = v;
      else if (k == "tid") event_.tid = v;
    } else if (in_args() && frames_.back().key == "name") {
      event_.arg_name = v;
    }
    return true;
  }
  bool binary(std::vector<uint8_t>&) { return true; }
  bool key(std::string& k) {
    frames_.back().key = k;
    return true;
  }
  bool start_object(std::size_t) {
    if (frames_.empty()) root_object_ = true;
    const bool event = !frames_.empty() && frames_.back().events;
    frames_.push_back({true, false, {}});
    if (event) {
      event_ = ChromeEvent{};
      event_.ordinal = ++count_;
    }
    return true;
  }
  bool end_object() {
    const bool event = in_event();
    frames_.pop_back();
    if (!event) return true;
    status_ = sink_(event_);
    return status_.ok();
  }
  bool start_array(std::size_t) {
    // The JSON Array Format is the events array itself; the Object Format holds it under traceEvents.
    const bool events = frames_.empty() || (root_object_ && frames_.size() == 1 && frames_.back().key == "traceEvents");
    saw_events_ = saw_events_ || events;
    frames_.push_back({false, events, {}});
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    const std::string what = json_error_text(ex.what());
    const bool cut = position >= size_;
    status_ = Error{file_ + ": not valid JSON: " + what + (cut ? " (the file is cut short)" : "")};
    return false;
  }

  const Status& status() const { return status_; }
  bool saw_events() const { return saw_events_; }

 private:
  struct Frame {
    bool object;
    bool events;  // the traceEvents array
    std::string key;
  };
  bool in_event() const { return frames_.size() >= 2 && frames_[frames_.size() - 2].events && frames_.back().object; }
  bool in_args() const {
    const size_t n = frames_.size();
    return n >= 3 && frames_[n - 3].events && frames_[n - 2].key == "args" && frames_.back().object;
  }
  bool number(double v, const std::string& text) {
    if (in_event()) {
      const std::string& k = frames_.back().key;
      if (k == "ts") event_.ts = v, event_.has_ts = true;
      else if (k == "dur") event_.dur = v, event_.has_dur = true;
      else if (k == "pid") event_.pid = text;
      else if (k == "tid") event_.tid = text;
    } else if (in_args()) {
      const std::string& k = frames_.back().key;
      if (k == "stage") event_.arg_stage = v;
      else if (k == "microbatch") event_.arg_microbatch = v;
      else if (k == "backward_stage") event_.arg_backward_stage = v;
      else if (k == "backward_microbatch") event_.arg_backward_microbatch = v;
      else if (k == "start") event_.arg_start = v, event_.has_arg_times = true;
      else if (k == "end") event_.arg_end = v;
    } else if (root_object_ && frames_.size() == 2 && frames_[0].key == "distributedInfo" && frames_.back().key == "rank") {
      top_.has_rank = v == std::floor(v) && v >= 0 && v < 1e9;
      top_.rank = top_.has_rank ? static_cast<int>(v) : -1;
    }
    return true;
  }

  const std::string& file_;
  const size_t size_;
  const std::function<Status(const ChromeEvent&)>& sink_;
  ChromeFile& top_;
  std::vector<Frame> frames_;
  bool root_object_ = false, saw_events_ = false;
  uint32_t count_ = 0;
  ChromeEvent event_;
  Status status_;
};

}  // namespace

Status read_chrome_events(std::string_view text, const std::string& file, const std::function<Status(const ChromeEvent&)>& sink,
                          ChromeFile& top) {
  Handler handler(file, text.size(), sink, top);
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &handler);
  if (!handler.status().ok()) return handler.status();
  if (!ok) return Error{file + ": not valid JSON"};
  if (!handler.saw_events()) return Error{file + ": not a Chrome trace: it has no traceEvents array"};
  return {};
}

}  // namespace ppemu::detail
