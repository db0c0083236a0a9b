// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IMedchain
/// @notice Events, errors and shared structs of the medchain ledger. Events carry everything an
///         indexer needs to rebuild the whole state without calling views; none carries health
///         information (no names, titles, free text or per-record categories).
interface IMedchain {
    /// @notice One version of a record, as committed on chain (see `Records`).
    struct RecordVersion {
        address patient;
        address author; // who added version 1; only the author or the patient may update
        uint32 version;
        bytes32 digest; // SHA-256 of the ciphertext
        bytes32 nodeId; // the storage node holding it
        bytes32 contentId; // the node's id for the content
        bytes32 previous; // the record head before this version (0 for version 1)
    }

    // --- roles and registries ---
    /// @notice The admin appointed (`enabled`) or removed a registrar.
    event RegistrarSet(address indexed registrar, bool enabled);
    /// @notice A registrar verified a doctor, or updated a verified doctor's license hash and key.
    event DoctorVerified(address indexed doctor, address indexed registrar, bytes32 licenseHash, bytes32 encryptionKey);
    /// @notice A registrar suspended a doctor: every permission of theirs stops working.
    event DoctorSuspended(address indexed doctor, address indexed registrar);
    /// @notice A registrar reinstated a suspended doctor.
    event DoctorReinstated(address indexed doctor, address indexed registrar);
    /// @notice A doctor replaced their own encryption key: records are sealed to it from now on.
    event DoctorKeyRotated(address indexed doctor, bytes32 encryptionKey);
    /// @notice A registrar registered or updated a storage node.
    event StorageNodeRegistered(bytes32 indexed nodeId, address indexed operator, string url);

    // --- patients ---
    /// @notice A patient registered with their X25519 encryption public key.
    event PatientRegistered(address indexed patient, bytes32 encryptionKey);
    /// @notice A patient's encryption key changed.
    event PatientKeyRotated(address indexed patient, bytes32 encryptionKey);
    /// @notice A patient's emergency policy changed. When `allowed` is false, every emergency
    ///         window of the patient that was open has ended with it (no EmergencyAccessEnded
    ///         each). A doctor whose window ended waits `cooldown` seconds before opening another.
    event EmergencyPolicySet(address indexed patient, bool allowed, uint32 maxWindow, uint32 cooldown);
    /// @notice A patient set (or, with zero, cleared) the hash of their emergency escrow policy
    ///         document, kept off chain by the nodes (docs/format.md, "Emergency escrow").
    event EscrowPolicySet(address indexed patient, bytes32 policyHash);
    /// @notice An account (a storage node's operator, a guardian) set the X25519 key its
    ///         emergency escrow shares are sealed to.
    event CustodianKeySet(address indexed custodian, bytes32 encryptionKey);
    /// @notice A patient appointed a guardian.
    event GuardianAdded(address indexed patient, address indexed guardian);
    /// @notice A patient removed a guardian.
    event GuardianRemoved(address indexed patient, address indexed guardian);
    /// @notice A recovery made `controller` the address that acts as `patient` (its records,
    ///         grants and guardians stay keyed by `patient`); the patient's own key lost its power.
    event ControllerSet(address indexed patient, address indexed controller);

    // --- records ---
    /// @notice Version 1 of a record. `head` is the record's new on-chain commitment.
    event RecordAdded(
        bytes32 indexed recordId,
        address indexed patient,
        address indexed author,
        bytes32 digest,
        bytes32 nodeId,
        bytes32 contentId,
        bytes32 head
    );
    /// @notice Version `version` (>= 2) of a record, linked to the previous version's digest.
    event RecordUpdated(
        bytes32 indexed recordId,
        address indexed patient,
        address indexed editor,
        uint32 version,
        bytes32 previousDigest,
        bytes32 digest,
        bytes32 nodeId,
        bytes32 contentId,
        bytes32 head
    );

    // --- consent ---
    /// @notice A doctor asked for access. The doctor's address is the low 160 bits of `requestId`.
    event AccessRequested(
        uint256 indexed requestId,
        address indexed patient,
        address indexed doctor,
        uint16 scope,
        uint8 permissions,
        uint32 duration,
        bytes32 reasonHash
    );
    /// @notice The patient or a guardian (`by`) approved a request; an AccessGranted follows.
    event RequestApproved(uint256 indexed requestId, address indexed patient, address indexed doctor, address by);
    /// @notice The patient or a guardian (`by`) denied a request.
    event RequestDenied(uint256 indexed requestId, address indexed patient, address indexed doctor, address by);
    /// @notice The doctor withdrew a pending request.
    event RequestCancelled(uint256 indexed requestId, address indexed patient, address indexed doctor);
    /// @notice The doctor's grant is now exactly (scope, permissions) until `expiry` (exclusive).
    event AccessGranted(address indexed patient, address indexed doctor, uint16 scope, uint8 permissions, uint64 expiry);
    /// @notice The doctor's grant and any emergency window were removed.
    event AccessRevoked(address indexed patient, address indexed doctor);
    /// @notice A doctor opened a read-everything window until `until` (exclusive).
    event EmergencyAccessOpened(address indexed patient, address indexed doctor, uint64 until, uint16 reasonCode);
    /// @notice An emergency window was ended before its time by `by`.
    event EmergencyAccessEnded(address indexed patient, address indexed doctor, address by);

    // --- audit ---
    /// @notice A storage node anchored entries `fromSeq..toSeq` (inclusive) of its access log.
    event AuditAnchored(bytes32 indexed nodeId, uint64 fromSeq, uint64 toSeq, bytes32 merkleRoot);

    // --- relaying ---
    /// @notice Entry `index` of a relayed batch reverted with `reason`; the other entries stand.
    event BatchEntryFailed(uint256 indexed index, bytes reason);

    error NotAdmin();
    error NotRegistrar();
    error NotVerifiedDoctor(address account);
    error DoctorNotFound(address doctor);
    error NotStorageNodeOperator(bytes32 nodeId);
    error UnknownStorageNode(bytes32 nodeId);
    error AlreadyRegistered(address patient);
    error PatientNotRegistered(address patient);
    error NotPatientOrGuardian(address account, address patient);
    error NotPatient(address account, address patient);
    error InvalidKey();
    error InvalidScope(uint16 scope, uint8 permissions);
    error InvalidExpiry(uint64 expiry);
    error InvalidDuration(uint32 duration);
    error EmergencyNotAllowed(address patient);
    error InvalidRecord();
    error RecordExists(bytes32 recordId);
    error StaleRecordVersion(bytes32 recordId);
    error NotAllowedToWrite(address account, address patient);
    error RequestNotPending(uint256 requestId);
    error ApprovalExceedsRequest(uint256 requestId);
    error NotRequester(address account, uint256 requestId);
    error NonContiguousAnchor(uint64 expectedFromSeq, uint64 fromSeq);
    error InvalidAnchorRange();
    error IntentExpired(uint256 deadline);
    error InvalidSigner(address signer);
    error NotRelayable(bytes4 selector);
    error MalformedGrantBatch(uint256 length);
    error NoEmergencyWindow(address patient, address doctor);
    error InvalidReasonCode(uint16 reasonCode);
    error SelfVerification(address registrar);
    error DoctorKeyChangeNeedsDoctor(address doctor);
    error StorageNodeExists(bytes32 nodeId);
    error EmergencyCooldown(address patient, address doctor, uint64 reopensAt);
    error NotRecovery(address account);
}
