// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Consent} from "./Consent.sol";

/// @title Records
/// @notice Which version of each record is authentic. A record is a hash chain of versions:
///         the chain keeps one slot per record, its head,
///           head = keccak256(abi.encode(patient, author, version, digest, nodeId, contentId, previousHead)),
///         so the head commits to the record's whole history. Every version is also in an event
///         (RecordAdded / RecordUpdated), from which anyone can recompute the chain.
/// @dev One slot per record keeps addRecord at one new storage slot. An update proves the
///      current version by giving its fields (checked against the head) and appends; nothing is
///      ever overwritten but the head, which commits to everything before it.
abstract contract Records is Consent {
    /// @notice The current head of each record (0: no such record).
    mapping(bytes32 => bytes32) public recordHeads;

    /// @notice The commitment of one version (what recordHeads holds after it).
    function versionHash(RecordVersion memory v) public pure returns (bytes32) {
        return keccak256(abi.encode(v.patient, v.author, v.version, v.digest, v.nodeId, v.contentId, v.previous));
    }

    /// @notice Adds version 1 of a record to `patient`'s file. The patient, a guardian, or a
    ///         doctor with append permission; the caller is recorded as the author.
    /// @param digest SHA-256 of the ciphertext the storage node holds.
    /// @param nodeId A registered storage node; `contentId` is its id for the content.
    function addRecord(address patient, bytes32 recordId, bytes32 digest, bytes32 nodeId, bytes32 contentId) external {
        _addRecord(msg.sender, patient, recordId, digest, nodeId, contentId);
    }

    /// @notice Appends a version to a record: by its author (a doctor must still hold append
    ///         permission) or the patient. `current` must be the record's current version.
    function updateRecord(bytes32 recordId, RecordVersion calldata current, bytes32 digest, bytes32 nodeId, bytes32 contentId)
        external
    {
        _updateRecord(msg.sender, recordId, current, digest, nodeId, contentId);
    }

    function _addRecord(address actor, address patient, bytes32 recordId, bytes32 digest, bytes32 nodeId, bytes32 contentId)
        internal
    {
        if (recordId == bytes32(0) || digest == bytes32(0)) revert InvalidRecord();
        if (recordHeads[recordId] != bytes32(0)) revert RecordExists(recordId);
        _requireWriter(actor, patient);
        if (storageNodes[nodeId].operator == address(0)) revert UnknownStorageNode(nodeId);
        bytes32 head = versionHash(RecordVersion(patient, actor, 1, digest, nodeId, contentId, bytes32(0)));
        recordHeads[recordId] = head;
        emit RecordAdded(recordId, patient, actor, digest, nodeId, contentId, head);
    }

    function _updateRecord(
        address actor,
        bytes32 recordId,
        RecordVersion calldata current,
        bytes32 digest,
        bytes32 nodeId,
        bytes32 contentId
    ) internal {
        bytes32 head = recordHeads[recordId];
        if (head == bytes32(0) || versionHash(current) != head) revert StaleRecordVersion(recordId);
        if (digest == bytes32(0)) revert InvalidRecord();
        address patient = current.patient;
        if (!_actsAsPatient(actor, patient) && !(actor == current.author && (isGuardian[patient][actor] || canAppend(patient, actor)))) {
            revert NotAllowedToWrite(actor, patient);
        }
        if (storageNodes[nodeId].operator == address(0)) revert UnknownStorageNode(nodeId);
        uint32 version = current.version + 1;
        bytes32 next = versionHash(RecordVersion(patient, current.author, version, digest, nodeId, contentId, head));
        recordHeads[recordId] = next;
        emit RecordUpdated(recordId, patient, actor, version, current.digest, digest, nodeId, contentId, next);
    }

    /// @dev The patient, a guardian, or a doctor with append permission.
    function _requireWriter(address actor, address patient) internal view {
        if (!patients[patient].registered) revert PatientNotRegistered(patient);
        if (!_actsAsPatient(actor, patient) && !isGuardian[patient][actor] && !canAppend(patient, actor)) {
            revert NotAllowedToWrite(actor, patient);
        }
    }
}
