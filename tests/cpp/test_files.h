// Files for tests: fresh temporary paths, reading and writing whole files.
#ifndef GDPRKIT_TESTS_CPP_TEST_FILES_H_
#define GDPRKIT_TESTS_CPP_TEST_FILES_H_

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace gdprkit::testing {

// A path in the test's temporary directory that no other call (of this
// process or another) returns; nothing is there.
inline std::string TempPath(const std::string& name) {
  static std::atomic<int> counter{0};
  const std::string path = ::testing::TempDir() + "/gdprkit_test_" + std::to_string(::getpid()) +
                           "_" + std::to_string(counter++) + "_" + name;
  std::remove(path.c_str());
  return path;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteAllText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace gdprkit::testing

#endif  // GDPRKIT_TESTS_CPP_TEST_FILES_H_
