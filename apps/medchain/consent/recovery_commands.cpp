// `medchain recovery policy | propose | approve | cancel | execute | status` and `restore`
// (recovery_restore.cpp; docs/cli.md, "Lost-wallet recovery"; docs/format.md, "Recovery"): the
// guardians' recovery of a patient whose wallet is lost. Every step but restore is a direct
// transaction to the Recovery contract (the account pays the gas, so --rpc-url is required).
#include <medchain/chain/contract.hpp>
#include <medchain/chain/tx_sender.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/core/uint256.hpp>
#include <medchain/eth/address.hpp>

#include "client_context.hpp"
#include "consent/recovery_restore.hpp"

namespace medchain::cli {
namespace {

using client::json;
namespace abi = eth::abi;

using eth::to_checksum;

// The Recovery contract Medchain created (chain::recovery_contract), and sending to it.
class RecoveryContract {
 public:
  static Result<RecoveryContract> open(ClientContext& context) {
    MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
    RecoveryContract recovery;
    MEDCHAIN_TRY(recovery.contract_,
                 chain::recovery_contract(*medchain, context_options().artifact));
    return recovery;
  }

  const chain::Contract& contract() const { return *contract_; }

  // Sends `function_name(args)` from the account; reverts come back as Recovery's named errors.
  Result<json> send(ClientContext& context, std::string_view function_name,
                    const std::vector<abi::Value>& args) const {
    MEDCHAIN_TRY(chain::TransactionSender * sender, context.sender());
    MEDCHAIN_TRY(Bytes data, contract_->calldata(function_name, args));
    MEDCHAIN_TRY(
        chain::Receipt receipt,
        sender->send({contract_->address(), std::move(data), 0, std::nullopt}, &contract_->abi()));
    return json{{"transactionHash", to_hex(receipt.transaction_hash)},
                {"blockNumber", receipt.block_number}};
  }

 private:
  std::unique_ptr<chain::Contract> contract_;
};

Result<Address> patient_or_me(ClientContext& context, const std::string& text) {
  if (text.empty()) return context.account();
  return parse_address_arg(text, "--patient");
}

Result<std::uint64_t> number_arg(const std::string& text, std::uint64_t max, const char* what) {
  auto parsed = parse_u256(text);
  if (!parsed.ok() || *parsed > max) {
    return Error{Errc::kInvalidArgument,
                 std::string(what) + " must be a whole number up to " + std::to_string(max)};
  }
  return static_cast<std::uint64_t>(*parsed);
}

Status set_policy(const std::string& patient_text, const std::string& threshold_text,
                  const std::string& delay_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, patient_or_me(context, patient_text));
  MEDCHAIN_TRY(std::uint64_t threshold, number_arg(threshold_text, 255, "the threshold"));
  MEDCHAIN_TRY(std::uint64_t delay, number_arg(delay_text, 0xffffffffu, "--delay"));
  MEDCHAIN_TRY(RecoveryContract recovery, RecoveryContract::open(context));
  MEDCHAIN_TRY(json answer,
               recovery.send(context, "setPolicy", {patient, U256(threshold), U256(delay)}));
  MEDCHAIN_TRY(auto policy, recovery.contract().call("policies", {patient}));
  answer["patient"] = to_checksum(patient);
  answer["threshold"] = static_cast<std::uint64_t>(policy.at(0).word());
  answer["delay"] = static_cast<std::uint64_t>(policy.at(1).word());
  context.print(answer, "recovery of " + to_checksum(patient) + " needs " +
                            std::to_string(answer["threshold"].get<std::uint64_t>()) +
                            " guardian approvals and waits " +
                            std::to_string(answer["delay"].get<std::uint64_t>()) + " s");
  return {};
}

// The state of `controller`'s recovery of `patient` this round, as JSON.
Result<json> status_of(const RecoveryContract& recovery, const Address& patient,
                       const Address& controller) {
  MEDCHAIN_TRY(auto status, recovery.contract().call("status", {patient, controller}));
  return json{{"patient", to_checksum(patient)},
              {"controller", to_checksum(controller)},
              {"approvals", static_cast<std::uint64_t>(status.at(0).word())},
              {"threshold", static_cast<std::uint64_t>(status.at(1).word())},
              {"readyAt", static_cast<std::uint64_t>(status.at(2).word())}};
}

Status approve(const std::string& patient_text, const std::string& controller_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, parse_address_arg(patient_text, "the patient"));
  MEDCHAIN_TRY(Address controller, parse_address_arg(controller_text, "the new address"));
  MEDCHAIN_TRY(RecoveryContract recovery, RecoveryContract::open(context));
  MEDCHAIN_TRY(json answer, recovery.send(context, "approve", {patient, controller}));
  MEDCHAIN_TRY(json status, status_of(recovery, patient, controller));
  answer.update(status);
  std::string text = "approved " + to_checksum(controller) + " for " + to_checksum(patient) + " (" +
                     std::to_string(status["approvals"].get<std::uint64_t>()) + " of " +
                     std::to_string(status["threshold"].get<std::uint64_t>()) + ")";
  if (status["readyAt"].get<std::uint64_t>() != 0) {
    text += "; executable from " + std::to_string(status["readyAt"].get<std::uint64_t>()) +
            " (Unix time) unless the patient's key cancels";
  }
  context.print(answer, text);
  return {};
}

Status cancel(const std::string& patient_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, patient_or_me(context, patient_text));
  MEDCHAIN_TRY(RecoveryContract recovery, RecoveryContract::open(context));
  MEDCHAIN_TRY(json answer, recovery.send(context, "cancel", {patient}));
  answer["patient"] = to_checksum(patient);
  context.print(answer, "cancelled every pending recovery of " + to_checksum(patient));
  return {};
}

Status execute(const std::string& patient_text, const std::string& controller_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, parse_address_arg(patient_text, "the patient"));
  MEDCHAIN_TRY(Address controller, parse_address_arg(controller_text, "the new address"));
  MEDCHAIN_TRY(RecoveryContract recovery, RecoveryContract::open(context));
  MEDCHAIN_TRY(json answer, recovery.send(context, "execute", {patient, controller}));
  MEDCHAIN_TRY_STATUS(context.wait_until_indexed(answer["blockNumber"].get<std::uint64_t>()));
  answer["patient"] = to_checksum(patient);
  answer["controller"] = to_checksum(controller);
  context.print(answer, to_checksum(controller) + " now acts as " + to_checksum(patient));
  return {};
}

Status show_status(const std::string& patient_text, const std::string& controller_text) {
  ClientContext context;
  MEDCHAIN_TRY(Address patient, parse_address_arg(patient_text, "the patient"));
  MEDCHAIN_TRY(Address controller, parse_address_arg(controller_text, "the new address"));
  MEDCHAIN_TRY(RecoveryContract recovery, RecoveryContract::open(context));
  MEDCHAIN_TRY(json status, status_of(recovery, patient, controller));
  MEDCHAIN_TRY(const chain::Contract* medchain, context.contract());
  MEDCHAIN_TRY(auto current, medchain->call("controllerOf", {patient}));
  const Address acting = current.at(0).address();
  status["executed"] = acting == controller;
  const auto ready_at = status["readyAt"].get<std::uint64_t>();
  std::string text =
      status["executed"].get<bool>()
          ? to_checksum(controller) + " acts as " + to_checksum(patient)
          : std::to_string(status["approvals"].get<std::uint64_t>()) + " of " +
                std::to_string(status["threshold"].get<std::uint64_t>()) + " approvals" +
                (ready_at != 0 ? ", executable from " + std::to_string(ready_at) + " (Unix time)"
                               : "");
  context.print(status, text);
  return {};
}

void add_recovery_commands(CLI::App& app) {
  auto* recovery = app.add_subcommand(
      "recovery", "Lost-wallet recovery by the patient's guardians (direct transactions)");
  recovery->require_subcommand(1);

  struct PolicyArgs {
    std::string patient, threshold, delay = "0";
  };
  auto policy = std::make_shared<PolicyArgs>();
  auto* policy_cmd = recovery->add_subcommand(
      "policy", "As the patient, set how many guardians recover you and the delay");
  policy_cmd->add_option("threshold", policy->threshold, "Guardian approvals needed (0: off)")
      ->required();
  policy_cmd->add_option("--delay", policy->delay, "Seconds (0: 48 h; else 24 h to 30 days)");
  policy_cmd->add_option("--patient", policy->patient, "The patient (default: you)");
  on_run(policy_cmd,
         [policy] { return set_policy(policy->patient, policy->threshold, policy->delay); });

  struct PairArgs {
    std::string patient, controller;
  };
  for (const char* name : {"propose", "approve"}) {
    auto pair = std::make_shared<PairArgs>();
    auto* cmd = recovery->add_subcommand(
        name, std::string(name) == "propose"
                  ? "As a guardian, propose a new address for a patient (your approval)"
                  : "As a guardian, approve a new address for a patient");
    cmd->add_option("patient", pair->patient, "The patient who lost their wallet")->required();
    cmd->add_option("new-address", pair->controller, "The address to act as the patient")
        ->required();
    on_run(cmd, [pair] { return approve(pair->patient, pair->controller); });
  }

  auto whose = std::make_shared<std::string>();
  auto* cancel_cmd = recovery->add_subcommand(
      "cancel", "As the patient, cancel every pending recovery of your account");
  cancel_cmd->add_option("--patient", *whose, "The patient (default: you)");
  on_run(cancel_cmd, [whose] { return cancel(*whose); });

  auto executed = std::make_shared<PairArgs>();
  auto* execute_cmd =
      recovery->add_subcommand("execute", "Execute a recovery whose delay has passed (anyone)");
  execute_cmd->add_option("patient", executed->patient, "The patient")->required();
  execute_cmd->add_option("new-address", executed->controller, "The approved address")->required();
  on_run(execute_cmd, [executed] { return execute(executed->patient, executed->controller); });

  auto shown = std::make_shared<PairArgs>();
  auto* status_cmd = recovery->add_subcommand("status", "A recovery's approvals and delay");
  status_cmd->add_option("patient", shown->patient, "The patient")->required();
  status_cmd->add_option("new-address", shown->controller, "The proposed address")->required();
  on_run(status_cmd, [shown] { return show_status(shown->patient, shown->controller); });

  add_recovery_restore_command(*recovery);
}

const bool kRegistered = register_top_level_group(&add_recovery_commands);

}  // namespace
}  // namespace medchain::cli
