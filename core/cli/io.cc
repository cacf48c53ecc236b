#include "io.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace ppemu::cli {

int bad_input(const std::string& message) {
  std::cerr << "ppemu: " << message << "\n";
  return 2;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

int write_output(const Options& options, const std::string& text) {
  if (options.output.empty()) {
    std::cout << text;
    std::cout.flush();
    return std::cout.good() ? 0 : 1;
  }
  std::ofstream out(options.output, std::ios::binary);
  out << text;
  if (!out.good()) {
    std::cerr << "ppemu: cannot write " << options.output << "\n";
    return 1;
  }
  return 0;
}

int write_streamed(const Options& options, const std::function<void(const TextSink&)>& write) {
  if (options.output.empty()) {
    write([](std::string_view piece) { std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size())); });
    std::cout.flush();
    return std::cout.good() ? 0 : 1;
  }
  std::ofstream out(options.output, std::ios::binary);
  write([&](std::string_view piece) { out.write(piece.data(), static_cast<std::streamsize>(piece.size())); });
  if (!out.good()) {
    std::cerr << "ppemu: cannot write " << options.output << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ppemu::cli
