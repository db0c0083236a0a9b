// Runs every registered primitive's cases through `medchain util` and `cast` and compares.
// MEDCHAIN_DIFF_CASES overrides the number of cases per primitive (default 1000).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

#include "differential/differential.hpp"
#include "support/process.hpp"

namespace medchain::differential {
namespace {

constexpr int kDefaultCases = 1000;
constexpr int kMaxReportedMismatches = 5;

std::map<std::string, Generator>& registry() {
  static std::map<std::string, Generator> primitives;
  return primitives;
}

int case_count() {
  const char* text = std::getenv("MEDCHAIN_DIFF_CASES");
  return text != nullptr ? std::max(1, std::atoi(text)) : kDefaultCases;
}

std::string quoted(const std::vector<std::string>& args) {
  std::ostringstream out;
  for (const std::string& arg : args) out << " '" << arg << "'";
  return out.str();
}

class PrimitiveAgreesWithCast : public testing::Test {
 public:
  PrimitiveAgreesWithCast(std::string name, Generator generator)
      : name_(std::move(name)), generator_(std::move(generator)) {}

  void TestBody() override {
    // One seed per primitive, derived from its name, so a failure replays exactly.
    std::mt19937_64 rng(std::hash<std::string>{}(name_));
    int mismatches = 0;
    const int cases = case_count();
    for (int i = 0; i < cases && mismatches < kMaxReportedMismatches; ++i) {
      Case c = generator_(rng);
      std::vector<std::string> ours{MEDCHAIN_CLI_PATH};
      ours.insert(ours.end(), c.medchain_args.begin(), c.medchain_args.end());
      std::vector<std::string> theirs{CAST_PATH};
      theirs.insert(theirs.end(), c.cast_args.begin(), c.cast_args.end());
      const test::ProcessResult mine = test::run_process(ours);
      const test::ProcessResult reference = test::run_process(theirs);
      ASSERT_FALSE(mine.timed_out) << "medchain hung on" << quoted(c.medchain_args);
      ASSERT_LT(mine.exit_code, 128) << "medchain crashed on" << quoted(c.medchain_args);
      const bool same = (mine.exit_code == 0) == (reference.exit_code == 0) &&
                        (mine.exit_code != 0 || mine.out == reference.out);
      if (!same) {
        ++mismatches;
        ADD_FAILURE() << "case " << i << " of " << name_ << "\n  medchain"
                      << quoted(c.medchain_args) << "\n    exit " << mine.exit_code
                      << ", stdout: " << mine.out << "    stderr: " << mine.err << "\n  cast"
                      << quoted(c.cast_args) << "\n    exit " << reference.exit_code
                      << ", stdout: " << reference.out << "    stderr: " << reference.err;
      }
    }
  }

 private:
  std::string name_;
  Generator generator_;
};

}  // namespace

bool register_primitive(std::string name, Generator generator) {
  registry().emplace(std::move(name), std::move(generator));
  return true;
}

std::size_t random_size(std::mt19937_64& rng, std::size_t max_inclusive) {
  return std::uniform_int_distribution<std::size_t>(0, max_inclusive)(rng);
}

std::string random_hex_bytes(std::mt19937_64& rng, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (std::size_t i = 0; i < 2 * size; ++i) out.push_back(kDigits[rng() % 16]);
  return out;
}

U256 random_u256(std::mt19937_64& rng, unsigned max_bits) {
  const unsigned width = static_cast<unsigned>(rng() % (max_bits + 1));
  U256 value = 0;
  for (unsigned i = 0; i < width; i += 64) value = (value << 64) | rng();
  return width >= 256 ? value : value & ((U256(1) << width) - 1);
}

std::string random_private_key(std::mt19937_64& rng) {
  // Keys with a leading zero byte stay below the curve order; such keys also exercise
  // zero padding in both programs.
  std::string key = random_hex_bytes(rng, 32);
  if (rng() % 4 == 0) key.replace(2, 2, "00");
  if (key.substr(2, 8) == "ffffffff") key.replace(2, 2, "7f");
  return key;
}

std::string random_text(std::mt19937_64& rng, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i) out.push_back(static_cast<char>(' ' + rng() % 95));
  if (out.rfind("0x", 0) == 0) out[0] = 'x';
  if (!out.empty() && out[0] == '-') out[0] = '_';  // a leading dash would read as an option
  return out;
}

}  // namespace medchain::differential

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  for (auto& [name, generator] : medchain::differential::registry()) {
    // A '-' in a gtest filter starts the negative patterns, so CTest could not select
    // "sign-message"; the test is named sign_message.
    std::string test_name = name;
    std::replace(test_name.begin(), test_name.end(), '-', '_');
    testing::RegisterTest("Differential", test_name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [name = name, generator = generator]() -> testing::Test* {
                            return new medchain::differential::PrimitiveAgreesWithCast(name,
                                                                                       generator);
                          });
  }
  return RUN_ALL_TESTS();
}
