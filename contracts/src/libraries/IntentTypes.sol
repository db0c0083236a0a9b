// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IntentTypes
/// @notice The EIP-712 messages ("intents") by which a patient, guardian or doctor authorizes an
///         action that anyone may then submit. Every field is named and typed so a wallet shows
///         what is being signed. Every intent ends with the signer's current `nonce`
///         (`Medchain.nonces(signer)`) and a `deadline` (Unix seconds, inclusive).
/// @dev All fields are static, so hashStruct(intent) = keccak256(abi.encode(TYPEHASH, intent)).
///      The type strings are listed verbatim in docs/contracts.md.
library IntentTypes {
    struct RegisterPatient { address patient; bytes32 encryptionKey; uint256 nonce; uint256 deadline; }
    struct RotatePatientKey { address patient; bytes32 encryptionKey; uint256 nonce; uint256 deadline; }
    struct SetEmergencyPolicy {
        address patient; bool allowed; uint32 maxWindow; uint32 cooldown; uint256 nonce; uint256 deadline;
    }
    struct AddGuardian { address patient; address guardian; uint256 nonce; uint256 deadline; }
    struct RemoveGuardian { address patient; address guardian; uint256 nonce; uint256 deadline; }
    struct AddRecord {
        address patient; bytes32 recordId; bytes32 digest; bytes32 nodeId; bytes32 contentId; uint256 nonce; uint256 deadline;
    }
    struct UpdateRecord {
        bytes32 recordId; bytes32 currentHead; bytes32 digest; bytes32 nodeId; bytes32 contentId; uint256 nonce; uint256 deadline;
    }
    struct GrantAccess {
        address patient; address doctor; uint16 scope; uint8 permissions; uint64 expiry; uint256 nonce; uint256 deadline;
    }
    struct RevokeAccess { address patient; address doctor; uint256 nonce; uint256 deadline; }
    struct RequestAccess {
        address patient; uint16 scope; uint8 permissions; uint32 duration; bytes32 reasonHash; uint256 nonce; uint256 deadline;
    }
    struct ApproveRequest { uint256 requestId; uint16 scope; uint8 permissions; uint32 duration; uint256 nonce; uint256 deadline; }
    struct DenyRequest { uint256 requestId; uint256 nonce; uint256 deadline; }
    struct CancelRequest { uint256 requestId; uint256 nonce; uint256 deadline; }
    struct OpenEmergencyAccess { address patient; uint32 duration; uint16 reasonCode; uint256 nonce; uint256 deadline; }
    struct EndEmergencyAccess { address patient; address doctor; uint256 nonce; uint256 deadline; }
    struct SetDoctorKey { address doctor; bytes32 encryptionKey; uint256 nonce; uint256 deadline; }

    bytes32 internal constant REGISTER_PATIENT =
        keccak256("RegisterPatient(address patient,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");
    bytes32 internal constant ROTATE_PATIENT_KEY =
        keccak256("RotatePatientKey(address patient,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");
    bytes32 internal constant SET_EMERGENCY_POLICY = keccak256(
        "SetEmergencyPolicy(address patient,bool allowed,uint32 maxWindow,uint32 cooldown,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant ADD_GUARDIAN =
        keccak256("AddGuardian(address patient,address guardian,uint256 nonce,uint256 deadline)");
    bytes32 internal constant REMOVE_GUARDIAN =
        keccak256("RemoveGuardian(address patient,address guardian,uint256 nonce,uint256 deadline)");
    bytes32 internal constant ADD_RECORD = keccak256(
        "AddRecord(address patient,bytes32 recordId,bytes32 digest,bytes32 nodeId,bytes32 contentId,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant UPDATE_RECORD = keccak256(
        "UpdateRecord(bytes32 recordId,bytes32 currentHead,bytes32 digest,bytes32 nodeId,bytes32 contentId,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant GRANT_ACCESS = keccak256(
        "GrantAccess(address patient,address doctor,uint16 scope,uint8 permissions,uint64 expiry,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant REVOKE_ACCESS =
        keccak256("RevokeAccess(address patient,address doctor,uint256 nonce,uint256 deadline)");
    bytes32 internal constant REQUEST_ACCESS = keccak256(
        "RequestAccess(address patient,uint16 scope,uint8 permissions,uint32 duration,bytes32 reasonHash,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant APPROVE_REQUEST = keccak256(
        "ApproveRequest(uint256 requestId,uint16 scope,uint8 permissions,uint32 duration,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant DENY_REQUEST = keccak256("DenyRequest(uint256 requestId,uint256 nonce,uint256 deadline)");
    bytes32 internal constant CANCEL_REQUEST = keccak256("CancelRequest(uint256 requestId,uint256 nonce,uint256 deadline)");
    bytes32 internal constant OPEN_EMERGENCY_ACCESS = keccak256(
        "OpenEmergencyAccess(address patient,uint32 duration,uint16 reasonCode,uint256 nonce,uint256 deadline)"
    );
    bytes32 internal constant END_EMERGENCY_ACCESS =
        keccak256("EndEmergencyAccess(address patient,address doctor,uint256 nonce,uint256 deadline)");
    bytes32 internal constant SET_DOCTOR_KEY =
        keccak256("SetDoctorKey(address doctor,bytes32 encryptionKey,uint256 nonce,uint256 deadline)");
}
