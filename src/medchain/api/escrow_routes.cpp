// The emergency escrow (docs/api.md, "Emergency escrow"; docs/format.md, "Emergency escrow"):
// a patient's policy document, published here and checked against the chain's hash of it; the
// shares deposited with this node as a custodian; each version's content key wrapped to the
// escrow key, served like a sealed key (canRead, an open emergency window included); and the
// release of this custodian's partial to a doctor with an emergency window open now, or to the
// patient's controller after a recovery. Every
// decision comes from this node's own index and is audited; a release tells the patient's inbox.
#include <medchain/api/detail/routes.hpp>
#include <medchain/core/hex.hpp>
#include <medchain/custody/custodian.hpp>

namespace medchain::api::detail {
namespace {

constexpr std::size_t kMaxDocumentBytes = 64 * 1024;

Response refused(const std::string& code, int status, const std::string& detail) {
  return problem(status, code, status == 403 ? "Not allowed" : "Refused", detail);
}

template <class T>
Response refusal_problem(const custody::Decision<T>& decision) {
  return refused(custody::refusal_code(decision.refusal), custody::refusal_status(decision.refusal),
                 decision.detail);
}

custody::CustodyStore custody_of(NodeContext& node) {
  return custody::CustodyStore(*node.stores().database);
}

Result<Hash32> hash_field(const json& body, const char* key) {
  if (!body.contains(key) || !body[key].is_string()) {
    return Error{Errc::kInvalidArgument, std::string(key) + " must be 32 bytes of 0x hex"};
  }
  auto parsed = from_hex_fixed<Hash32>(body[key].get<std::string>());
  if (!parsed)
    return Error{Errc::kInvalidArgument, std::string(key) + " must be 32 bytes of 0x hex"};
  return *parsed;
}

Result<Bytes> bytes_field(const json& body, const char* key, std::size_t size) {
  const Error wrong{Errc::kInvalidArgument,
                    std::string(key) + " must be " + std::to_string(size) + " bytes of 0x hex"};
  if (!body.contains(key) || !body[key].is_string()) return wrong;
  auto parsed = from_hex(body[key].get<std::string>());
  if (!parsed || parsed->size() != size) return wrong;
  return std::move(*parsed);
}

std::string version_subject(const Hash32& record_id, std::uint64_t version) {
  return to_hex(record_id) + "/" + std::to_string(version);
}

// The patient the path names, who must be the caller, or the patient's controller since a
// recovery (else the refusal is audited).
Result<std::optional<Response>> require_patient(NodeContext& node, const Call& call,
                                                const Address& patient, const char* action) {
  MEDCHAIN_TRY(bool acts, node.index().acts_as_patient(patient, call.caller()));
  if (acts) return std::optional<Response>();
  MEDCHAIN_TRY_STATUS(node.audit(call.caller(), action, to_hex(patient), patient, false));
  return std::optional<Response>(forbidden("only the patient manages their emergency escrow"));
}

}  // namespace

Response put_escrow_policy(NodeContext& node, const Call& call) {
  auto patient = address_param(call, "address");
  if (!patient.ok()) return problem_for(patient.error());
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  if (!(*body)["document"].is_string() ||
      (*body)["document"].get<std::string>().size() > kMaxDocumentBytes) {
    return bad_request("expected {\"document\": <the policy document's text, up to 64 KiB>}");
  }
  const std::string text = (*body)["document"].get<std::string>();
  auto mine = require_patient(node, call, *patient, "escrow.policy");
  if (!mine.ok()) return problem_for(mine.error());
  if (*mine) return std::move(**mine);
  auto document = custody::parse_policy_document(text);
  if (!document.ok()) return problem_for(document.error());
  if (document->policy.patient != *patient) {
    return bad_request("the document is the escrow policy of another patient");
  }
  const Hash32 hash = custody::policy_hash(text);
  auto on_chain = node.index().escrow_policy_hash(*patient);
  if (!on_chain.ok()) return problem_for(on_chain.error());
  if (!*on_chain || **on_chain != hash) {
    return refused("escrow_policy_not_on_chain", 409,
                   "the chain's escrow policy of the patient is not " + to_hex(hash) +
                       " (set it with setEscrowPolicy first, or wait for the node to index it)");
  }
  for (const custody::CustodianEntry& custodian : document->custodians) {
    auto key = node.index().custodian_key(custodian.account);
    if (!key.ok()) return problem_for(key.error());
    if (!*key || (*key)->bytes != custodian.encryption_key.bytes) {
      return refused("custodian_key_mismatch", 422,
                     "custodian " + to_hex(custodian.account) +
                         " has another key on chain (or none): setCustodianKey");
    }
  }
  auto audited = node.audit(call.caller(), "escrow.policy", to_hex(hash), *patient, true);
  if (!audited.ok()) return problem_for(audited.error());
  auto custody = custody_of(node);
  auto stored = custody.put_document({hash, *patient, text, node.clock()});
  if (!stored.ok()) return problem_for(stored.error());
  return ok({{"policyHash", to_json(hash)}}, 201);
}

Response escrow_policy(NodeContext& node, const Call& call) {
  auto patient = address_param(call, "address");
  if (!patient.ok()) return problem_for(patient.error());
  // The patient, a guardian, or a verified doctor (who reads it in an emergency, or wraps the
  // key of a version it adds): the document holds no secret, but it names the custodians.
  auto manages = node.manages(*patient, call.caller());
  if (!manages.ok()) return problem_for(manages.error());
  if (!*manages) {
    auto doctor = node.index().doctor(call.caller());
    if (!doctor.ok()) return problem_for(doctor.error());
    if (!*doctor || (*doctor)->status != "verified") {
      return forbidden("only the patient, a guardian or a verified doctor reads an escrow policy");
    }
  }
  auto on_chain = node.index().escrow_policy_hash(*patient);
  if (!on_chain.ok()) return problem_for(on_chain.error());
  if (!*on_chain) {
    return problem(404, "no_escrow_policy", "Not found", "the patient has set no escrow policy");
  }
  auto custody = custody_of(node);
  auto stored = custody.document(**on_chain);
  if (!stored.ok()) return problem_for(stored.error());
  if (!*stored) {
    return problem(404, "no_escrow_policy", "Not found",
                   "the patient's escrow policy was not published on this node");
  }
  return ok({{"patient", to_json(*patient)},
             {"policyHash", to_json(**on_chain)},
             {"document", (*stored)->text}});
}

Response put_escrow_share(NodeContext& node, const Call& call) {
  auto patient = address_param(call, "address");
  if (!patient.ok()) return problem_for(patient.error());
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  auto policy = hash_field(*body, "policyHash");
  if (!policy.ok()) return problem_for(policy.error());
  auto sealed = bytes_field(*body, "sealedShare", records::kSealedEscrowShareSize);
  if (!sealed.ok()) return problem_for(sealed.error());
  auto mine = require_patient(node, call, *patient, "escrow.share");
  if (!mine.ok()) return problem_for(mine.error());
  if (*mine) return std::move(**mine);
  if (!node.config.custodian_key) {
    return refused("not_custodian", 409, "this node holds no custodian key (--custodian-key)");
  }
  auto custody = custody_of(node);
  auto decision = custody::accept_share(node.index(), custody, *node.config.custodian_key,
                                        {*patient, *policy, std::move(*sealed)}, node.clock());
  if (!decision.ok()) return problem_for(decision.error());
  auto audited =
      node.audit(call.caller(), "escrow.share", to_hex(*policy), *patient, decision->granted());
  if (!audited.ok()) return problem_for(audited.error());
  if (!decision->granted()) return refusal_problem(*decision);
  return ok({{"policyHash", to_json(*policy)}, {"index", *decision->value}}, 201);
}

Response put_escrow_key(NodeContext& node, const Call& call) {
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  auto policy = hash_field(*body, "policyHash");
  if (!policy.ok()) return problem_for(policy.error());
  auto wrapped = bytes_field(*body, "wrappedKey", records::kEscrowWrappedKeySize);
  if (!wrapped.ok()) return problem_for(wrapped.error());
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  const std::string subject = version_subject(version->record_id, version->version);
  auto manages = node.manages(version->patient, call.caller());
  if (!manages.ok()) return problem_for(manages.error());
  auto custody = custody_of(node);
  bool allowed = *manages || version->author == call.caller();
  if (allowed && call.caller() != version->patient) {
    // As with sealed keys, replacing a wrapped key is the patient's alone.
    auto existing = custody.escrow_key(version->record_id, version->version);
    if (!existing.ok()) return problem_for(existing.error());
    if (*existing && (*existing)->wrapped_key != *wrapped) {
      auto audited =
          node.audit(call.caller(), "escrow.key.share", subject, version->patient, false);
      if (!audited.ok()) return problem_for(audited.error());
      return problem(409, "key_exists", "Key already shared",
                     "only the patient replaces a version's escrow-wrapped key");
    }
  }
  auto audited = node.audit(call.caller(), "escrow.key.share", subject, version->patient, allowed);
  if (!audited.ok()) return problem_for(audited.error());
  if (!allowed) {
    return forbidden("only the patient, a guardian or the version's author wraps its key");
  }
  auto stored = custody.put_escrow_key({version->record_id, version->version, *policy,
                                        std::move(*wrapped), call.caller(), node.clock()});
  if (!stored.ok()) return problem_for(stored.error());
  return ok({{"recordId", to_json(version->record_id)}, {"version", version->version}});
}

Response escrow_key(NodeContext& node, const Call& call) {
  auto version = indexed_version(node, call);
  if (!version.ok()) return problem_for(version.error());
  auto readable = may_read_now(node, *version, call.caller());
  if (!readable.ok()) return problem_for(readable.error());
  auto custody = custody_of(node);
  auto key = custody.escrow_key(version->record_id, version->version);
  if (!key.ok()) return problem_for(key.error());
  if (*readable && !*key) {
    return problem(404, "not_found", "Not found",
                   "this version's key was not wrapped to an escrow");
  }
  const std::string subject = version_subject(version->record_id, version->version);
  auto audited = node.audit(call.caller(), "escrow.key.read", subject, version->patient, *readable);
  if (!audited.ok()) return problem_for(audited.error());
  if (!*readable) return forbidden("no grant or emergency window of yours covers this record now");
  return ok({{"recordId", to_json(version->record_id)},
             {"version", version->version},
             {"digest", to_json(version->digest)},
             {"policyHash", to_json((*key)->policy_hash)},
             {"wrappedKey", to_hex((*key)->wrapped_key)}});
}

Response release_escrow_partial(NodeContext& node, const Call& call) {
  auto patient = address_param(call, "address");
  if (!patient.ok()) return problem_for(patient.error());
  auto body = json_body(call.request);
  if (!body.ok()) return problem_for(body.error());
  auto record_id = hash_field(*body, "recordId");
  if (!record_id.ok()) return problem_for(record_id.error());
  auto policy = hash_field(*body, "policyHash");
  if (!policy.ok()) return problem_for(policy.error());
  auto wrapped = bytes_field(*body, "wrappedKey", records::kEscrowWrappedKeySize);
  if (!wrapped.ok()) return problem_for(wrapped.error());
  if (!(*body)["version"].is_number_unsigned() || (*body)["version"].get<std::uint64_t>() == 0) {
    return bad_request("version must be a positive integer");
  }
  const std::uint64_t version = (*body)["version"].get<std::uint64_t>();
  if (!node.config.custodian_key) {
    return refused("not_custodian", 409, "this node holds no custodian key (--custodian-key)");
  }
  auto now = node.now();
  if (!now.ok()) return problem_for(now.error());
  auto custody = custody_of(node);
  const custody::PartialRequest request{*patient, call.caller(), *record_id,
                                        version,  *policy,       std::move(*wrapped)};
  auto decision =
      custody::release_partial(node.index(), custody, *node.config.custodian_key, request, *now);
  if (!decision.ok()) return problem_for(decision.error());
  auto audited = node.audit(call.caller(), "escrow.release", version_subject(*record_id, version),
                            *patient, decision->granted());
  if (!audited.ok()) return problem_for(audited.error());
  if (!decision->granted()) return refusal_problem(*decision);
  return ok({{"recordId", to_json(*record_id)},
             {"version", version},
             {"policyHash", to_json(*policy)},
             {"index", decision->value->index},
             {"reason", custody::release_reason_name(decision->value->reason)},
             {"sealedTo", to_hex(decision->value->recipient_key)},
             {"sealedPartial", to_hex(decision->value->sealed_partial)}});
}

}  // namespace medchain::api::detail
