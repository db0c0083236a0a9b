// `medchain records add | list | show | get | update | set-category | export | import`
// (docs/cli.md, "Records").
#include <memory>
#include <records/progress.hpp>
#include <records/record_actions.hpp>
#include <records/record_bundle.hpp>

#include "cli.hpp"
#include "client_context.hpp"

namespace medchain::cli::records {
namespace {

struct Flags {
  bool progress = false;
};

void add_content_options(CLI::App* cmd, ContentOptions& content) {
  cmd->add_option("--resource", content.resource_file,
                  "A FHIR R4 resource (JSON file, - for stdin), validated before encryption");
  cmd->add_option("--file", content.file,
                  "A file to attach (an X-ray, a PDF, a DICOM file; - for stdin)");
  cmd->add_option("--content-type", content.content_type,
                  "The file's media type (default from its extension)");
  cmd->add_option("--title", content.title,
                  "The record's title (default from the resource; a file's name)");
  cmd->add_option("--author-name", content.author_name,
                  "The summary's author name (default: your registrar-checked profile name with "
                  "--rpc-url, else none; '' for none)");
  cmd->add_option("--date", content.date,
                  "The record's date, YYYY-MM-DD or a FHIR dateTime (default from the resource)");
  cmd->add_option("--category", content.category,
                  "lab, imaging, medication, ... (default suggested by the resource)");
}

// Runs `body` with the caller's account and signed-in node client (client_context.hpp).
Action with_caller(const std::shared_ptr<Flags>& flags, std::function<Status(Caller&)> body) {
  return [flags, body = std::move(body)]() -> Status {
    ClientContext context;
    MEDCHAIN_TRY(client::NodeClient * node, context.signed_in_node());
    MEDCHAIN_TRY(Address account, context.account());
    Caller caller{context, *node, account, context.json(), flags->progress || stderr_is_terminal()};
    return body(caller);
  };
}

void add_records_commands(CLI::App& app) {
  auto* records = app.add_subcommand("records", "Add, list, read and export medical records");
  records->require_subcommand(1);
  auto flags = std::make_shared<Flags>();
  records->add_flag(
      "--progress", flags->progress,
      "Show a progress bar for transfers over 1 MiB even when stderr is not a terminal");

  auto add = std::make_shared<AddOptions>();
  auto* add_cmd = records->add_subcommand("add", "Encrypt, upload and record a new record");
  add_cmd->add_option("--patient", add->patient, "The patient (default: you)");
  add_content_options(add_cmd, add->content);
  on_run(add_cmd, with_caller(flags, [add](Caller& c) { return add_record(c, *add); }));

  auto update = std::make_shared<UpdateOptions>();
  auto* update_cmd = records->add_subcommand("update", "Write a new version of a record");
  update_cmd->add_option("id", update->record_id, "The record id")->required();
  add_content_options(update_cmd, update->content);
  on_run(update_cmd, with_caller(flags, [update](Caller& c) { return update_record(c, *update); }));

  auto patient = std::make_shared<std::string>();
  auto* list_cmd = records->add_subcommand("list", "The records of a patient you may read");
  list_cmd->add_option("--patient", *patient, "The patient (default: you)");
  on_run(list_cmd, with_caller(flags, [patient](Caller& c) { return list_records(c, *patient); }));

  auto shown = std::make_shared<std::string>();
  auto* show_cmd = records->add_subcommand("show", "A record's versions as the chain has them");
  show_cmd->add_option("id", *shown, "The record id")->required();
  on_run(show_cmd, with_caller(flags, [shown](Caller& c) { return show_record(c, *shown); }));

  auto get = std::make_shared<GetOptions>();
  auto* get_cmd = records->add_subcommand(
      "get", "Download, check against the chain's digest and decrypt a record version");
  get_cmd->add_option("id", get->record_id, "The record id")->required();
  get_cmd->add_option("--version", get->version, "The version (default: the newest)");
  get_cmd->add_option("-o,--out", get->out, "Where to write it (- for stdout)")
      ->capture_default_str();
  on_run(get_cmd, with_caller(flags, [get](Caller& c) { return get_record(c, *get); }));

  auto corrected = std::make_shared<CategoryOptions>();
  auto* category_cmd = records->add_subcommand(
      "set-category", "Correct a version's category (the patient or a guardian signs it)");
  category_cmd->add_option("id", corrected->record_id, "The record id")->required();
  category_cmd->add_option("category", corrected->category, "lab, imaging, medication, ...")
      ->required();
  category_cmd->add_option("--version", corrected->version, "The version (default: the newest)");
  on_run(category_cmd,
         with_caller(flags, [corrected](Caller& c) { return set_category(c, *corrected); }));

  auto exported = std::make_shared<ExportOptions>();
  auto* export_cmd =
      records->add_subcommand("export", "Every record you may read, as a FHIR Bundle with its "
                                        "attachments");
  export_cmd->add_option("--patient", exported->patient, "The patient (default: you)");
  export_cmd->add_option("-o,--out", exported->out, "Where to write the Bundle (- for stdout)")
      ->capture_default_str();
  export_cmd->add_flag("--summary", exported->summary,
                       "An International Patient Summary (allergies, medications, problems, ...)");
  on_run(export_cmd,
         with_caller(flags, [exported](Caller& c) { return export_records(c, *exported); }));

  auto imported = std::make_shared<ImportOptions>();
  auto* import_cmd = records->add_subcommand(
      "import", "Add every entry of a FHIR Bundle (an export) as a new record");
  import_cmd->add_option("bundle", imported->in, "The Bundle's JSON file")->required();
  import_cmd->add_option("--patient", imported->patient, "The patient (default: you)");
  on_run(import_cmd,
         with_caller(flags, [imported](Caller& c) { return import_records(c, *imported); }));
}

const bool kRegistered = register_top_level_group(&add_records_commands);

}  // namespace
}  // namespace medchain::cli::records
