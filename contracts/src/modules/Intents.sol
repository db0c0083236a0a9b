// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {IntentTypes as T} from "../libraries/IntentTypes.sol";
import {Records} from "./Records.sol";

/// @title Intents
/// @notice Every patient, guardian and doctor action as an EIP-712 signed message that any
///         relayer may submit and pay for, singly or in a batch. The signer is recovered from the
///         signature and acts exactly as if it had called the direct function.
/// @dev A signature is valid once: for this contract and chain (the EIP-712 domain), before its
///      deadline, with the signer's current nonce, which it then consumes.
abstract contract Intents is Records, EIP712, Nonces {
    /// @notice Executes each entry of `calls` (calldata of one *BySig function each) on its own:
    ///         an entry that reverts is reported in BatchEntryFailed with its revert data and does
    ///         not undo the others. Entries that are not signed intents are refused the same way.
    /// @return succeeded Whether each entry took effect.
    function relayBatch(bytes[] calldata calls) external returns (bool[] memory succeeded) {
        succeeded = new bool[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            bytes4 selector = calls[i].length >= 4 ? bytes4(calls[i][:4]) : bytes4(0);
            if (!_isRelayable(selector)) {
                emit BatchEntryFailed(i, abi.encodeWithSelector(NotRelayable.selector, selector));
                continue;
            }
            (bool ok, bytes memory reason) = address(this).call(calls[i]);
            succeeded[i] = ok;
            if (!ok) emit BatchEntryFailed(i, reason);
        }
    }

    /// @notice The EIP-712 digest of an intent's struct hash under this contract's domain.
    function intentDigest(bytes32 structHash) external view returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }

    /// @notice RegisterPatient, signed by the patient.
    function registerPatientBySig(T.RegisterPatient calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.REGISTER_PATIENT, m)), m.nonce, m.deadline, signature);
        if (signer != m.patient) revert InvalidSigner(signer);
        _registerPatient(signer, m.encryptionKey);
    }

    /// @notice RotatePatientKey, signed by the patient or a guardian.
    function rotatePatientKeyBySig(T.RotatePatientKey calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.ROTATE_PATIENT_KEY, m)), m.nonce, m.deadline, signature);
        _rotatePatientKey(signer, m.patient, m.encryptionKey);
    }

    /// @notice SetEmergencyPolicy, signed by the patient or a guardian.
    function setEmergencyPolicyBySig(T.SetEmergencyPolicy calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.SET_EMERGENCY_POLICY, m)), m.nonce, m.deadline, signature);
        _setEmergencyPolicy(signer, m.patient, m.allowed, m.maxWindow, m.cooldown);
    }

    /// @notice AddGuardian, signed by the patient.
    function addGuardianBySig(T.AddGuardian calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.ADD_GUARDIAN, m)), m.nonce, m.deadline, signature);
        _setGuardian(signer, m.patient, m.guardian, true);
    }

    /// @notice RemoveGuardian, signed by the patient.
    function removeGuardianBySig(T.RemoveGuardian calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.REMOVE_GUARDIAN, m)), m.nonce, m.deadline, signature);
        _setGuardian(signer, m.patient, m.guardian, false);
    }

    /// @notice AddRecord, signed by the patient, a guardian or a doctor with append permission.
    function addRecordBySig(T.AddRecord calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.ADD_RECORD, m)), m.nonce, m.deadline, signature);
        _addRecord(signer, m.patient, m.recordId, m.digest, m.nodeId, m.contentId);
    }

    /// @notice UpdateRecord, signed by the record's author or patient; `current` must hash to
    ///         the signed `currentHead`.
    function updateRecordBySig(T.UpdateRecord calldata m, RecordVersion calldata current, bytes calldata signature)
        external
    {
        address signer = _verify(keccak256(abi.encode(T.UPDATE_RECORD, m)), m.nonce, m.deadline, signature);
        if (versionHash(current) != m.currentHead) revert StaleRecordVersion(m.recordId);
        _updateRecord(signer, m.recordId, current, m.digest, m.nodeId, m.contentId);
    }

    /// @notice GrantAccess, signed by the patient or a guardian.
    function grantAccessBySig(T.GrantAccess calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.GRANT_ACCESS, m)), m.nonce, m.deadline, signature);
        _grantAccess(signer, m.patient, m.doctor, m.scope, m.permissions, m.expiry);
    }

    /// @notice RevokeAccess, signed by the patient or a guardian.
    function revokeAccessBySig(T.RevokeAccess calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.REVOKE_ACCESS, m)), m.nonce, m.deadline, signature);
        _revokeAccess(signer, m.patient, m.doctor);
    }

    /// @notice RequestAccess, signed by the doctor.
    function requestAccessBySig(T.RequestAccess calldata m, bytes calldata signature) external returns (uint256) {
        address signer = _verify(keccak256(abi.encode(T.REQUEST_ACCESS, m)), m.nonce, m.deadline, signature);
        return _requestAccess(signer, m.patient, m.scope, m.permissions, m.duration, m.reasonHash);
    }

    /// @notice ApproveRequest, signed by the patient or a guardian.
    function approveRequestBySig(T.ApproveRequest calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.APPROVE_REQUEST, m)), m.nonce, m.deadline, signature);
        _approveRequest(signer, m.requestId, m.scope, m.permissions, m.duration);
    }

    /// @notice DenyRequest, signed by the patient or a guardian.
    function denyRequestBySig(T.DenyRequest calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.DENY_REQUEST, m)), m.nonce, m.deadline, signature);
        _denyRequest(signer, m.requestId);
    }

    /// @notice CancelRequest, signed by the requesting doctor.
    function cancelRequestBySig(T.CancelRequest calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.CANCEL_REQUEST, m)), m.nonce, m.deadline, signature);
        _cancelRequest(signer, m.requestId);
    }

    /// @notice OpenEmergencyAccess, signed by the doctor.
    function openEmergencyAccessBySig(T.OpenEmergencyAccess calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.OPEN_EMERGENCY_ACCESS, m)), m.nonce, m.deadline, signature);
        _openEmergencyAccess(signer, m.patient, m.duration, m.reasonCode);
    }

    /// @notice EndEmergencyAccess, signed by the patient, a guardian or the doctor.
    function endEmergencyAccessBySig(T.EndEmergencyAccess calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.END_EMERGENCY_ACCESS, m)), m.nonce, m.deadline, signature);
        _endEmergencyAccess(signer, m.patient, m.doctor);
    }

    /// @notice SetDoctorKey, signed by the doctor.
    function setDoctorKeyBySig(T.SetDoctorKey calldata m, bytes calldata signature) external {
        address signer = _verify(keccak256(abi.encode(T.SET_DOCTOR_KEY, m)), m.nonce, m.deadline, signature);
        if (signer != m.doctor) revert InvalidSigner(signer);
        _setDoctorKey(signer, m.encryptionKey);
    }

    /// @dev Checks the deadline, recovers the signer (ECDSA rejects malformed and high-s
    ///      signatures) and consumes `nonce`, which must be the signer's current one.
    function _verify(bytes32 structHash, uint256 nonce, uint256 deadline, bytes calldata signature)
        private
        returns (address signer)
    {
        if (block.timestamp > deadline) revert IntentExpired(deadline);
        signer = ECDSA.recover(_hashTypedDataV4(structHash), signature);
        _useCheckedNonce(signer, nonce);
    }

    function _isRelayable(bytes4 selector) private pure returns (bool) {
        return selector == this.grantAccessBySig.selector || selector == this.revokeAccessBySig.selector
            || selector == this.addRecordBySig.selector || selector == this.updateRecordBySig.selector
            || selector == this.requestAccessBySig.selector || selector == this.approveRequestBySig.selector
            || selector == this.denyRequestBySig.selector || selector == this.cancelRequestBySig.selector
            || selector == this.openEmergencyAccessBySig.selector || selector == this.endEmergencyAccessBySig.selector
            || selector == this.registerPatientBySig.selector || selector == this.rotatePatientKeyBySig.selector
            || selector == this.setEmergencyPolicyBySig.selector || selector == this.addGuardianBySig.selector
            || selector == this.removeGuardianBySig.selector || selector == this.setDoctorKeyBySig.selector;
    }
}
