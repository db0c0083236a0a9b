// Signed intents: medchain's EIP-712 messages (contracts/src/libraries/IntentTypes.sol), built
// from the contract's ABI, signed with an account key, and turned into the calldata of the
// matching *BySig function that any relayer may submit.
#pragma once

#include <medchain/chain/contract.hpp>
#include <medchain/crypto/secp256k1.hpp>
#include <medchain/eth/eip712.hpp>

namespace medchain::chain {

// The contract's EIP-712 domain: name "medchain", version "1", this chain, this contract.
struct IntentDomain {
  std::uint64_t chain_id = 0;
  Address verifying_contract;
};

struct SignedIntent {
  std::string function;  // e.g. "grantAccessBySig"
  Hash32 digest;         // the EIP-712 signing hash: what identifies the intent
  Address signer;
  Bytes calldata;  // function(message, extra arguments..., signature)
};

// The typed data a wallet is asked to sign for `function_name` (a *BySig function whose first
// input is the intent struct) with `message`, a JSON object of the struct's fields (integers as
// numbers or decimal/0x strings, addresses and bytes32 as 0x hex).
Result<eth::eip712::TypedData> intent_typed_data(const ContractAbi& abi, const IntentDomain& domain,
                                                 std::string_view function_name,
                                                 const nlohmann::json& message);

// Signs the intent with `key` and encodes the call. `extra_args` sit between the message and
// the signature (updateRecordBySig's current RecordVersion).
Result<SignedIntent> sign_intent(const ContractAbi& abi, const IntentDomain& domain,
                                 std::string_view function_name, const nlohmann::json& message,
                                 const crypto::PrivateKey& key,
                                 const std::vector<eth::abi::Value>& extra_args = {});

// The calldata of `function_name` for an intent someone else signed (a wallet): checks that the
// signature recovers to a valid signer of the typed data.
Result<SignedIntent> encode_signed_intent(const ContractAbi& abi, const IntentDomain& domain,
                                          std::string_view function_name,
                                          const nlohmann::json& message, ByteView signature,
                                          const std::vector<eth::abi::Value>& extra_args = {});

}  // namespace medchain::chain
