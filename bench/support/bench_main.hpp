// The main() of the benchmark programs that are not Google Benchmark ones: integer options as
// "--name value" pairs, a check of them, and failures reported as one line on stderr.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <initializer_list>

namespace medchain::bench {

struct IntOption {
  const char* name;
  int* value;
};

// Exit codes: 2 for bad options (with `usage`), 1 when `body` throws, else what `body` returns.
inline int run_main(const char* program, int argc, char** argv,
                    std::initializer_list<IntOption> options, const std::function<bool()>& valid,
                    const char* usage, const std::function<int()>& body) {
  for (int i = 1; i < argc; i += 2) {
    bool known = false;
    for (const IntOption& option : options) {
      if (i + 1 < argc && std::strcmp(argv[i], option.name) == 0) {
        *option.value = std::atoi(argv[i + 1]);
        known = true;
      }
    }
    if (!known) {
      std::fprintf(stderr, "%s: unknown option %s; %s\n", program, argv[i], usage);
      return 2;
    }
  }
  if (!valid()) {
    std::fprintf(stderr, "%s: %s\n", program, usage);
    return 2;
  }
  try {
    return body();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: %s\n", program, error.what());
    return 1;
  }
}

}  // namespace medchain::bench
