// medchaind, the storage node. Its HTTP/WebSocket API, indexer and stores are not built yet
// (see README.md, "Status"); until then it only answers --help and --version.
#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"medchaind: the medchain storage node (not implemented yet: see README.md)"};
  app.set_version_flag("--version", "medchaind 0.1.0");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  std::cerr << "medchaind: the node is not implemented yet; see README.md\n";
  return 1;
}
