// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IMedchain} from "../interfaces/IMedchain.sol";
import {Recovery} from "../Recovery.sol";

/// @title Registry
/// @notice Roles and registries: the admin, registrars, doctors, storage nodes, patients and
///         their guardians and emergency policies, and audit anchors.
/// @dev Every state-changing internal function takes the acting account (`actor`): the direct
///      entry points pass `msg.sender`, the signed ones (`Intents`) the recovered signer.
///      Storage layout, one slot per line:
///        doctors[d]        status (uint8) | licenseHash and encryptionKey in the next slots
///        patients[p]       registered (bool) | emergencyAllowed (bool) | maxEmergencyWindow (uint32)
///                          | emergencyCooldown (uint32) | emergencyEpoch (uint32) | emergencyOffAt (uint64)
///                          | recovered (bool)
///        patientKeys[p]    X25519 public key
///        guardians[p][g]   bool
///        nodes[n]          operator (address) | nextAuditSeq (uint64)
///        escrowPolicies[p] hash of the patient's escrow policy document (off chain)
///        custodianKeys[c]  X25519 public key escrow shares are sealed to
///        controllerOf[p]   the address that acts as patient p after a recovery (0: p itself)
abstract contract Registry is IMedchain {
    uint8 internal constant DOCTOR_NONE = 0;
    uint8 internal constant DOCTOR_VERIFIED = 1;
    uint8 internal constant DOCTOR_SUSPENDED = 2;
    /// @notice The longest emergency window a patient may allow.
    uint32 public constant MAX_EMERGENCY_WINDOW = 72 hours;

    struct Doctor {
        uint8 status;
        bytes32 licenseHash;
        bytes32 encryptionKey;
    }

    struct Patient {
        bool registered;
        bool emergencyAllowed;
        uint32 maxEmergencyWindow;
        /// Seconds a doctor whose emergency window ended waits before opening another (0: none).
        uint32 emergencyCooldown;
        /// Bumped each time the policy is turned off. A window belongs to the epoch it was opened
        /// in and is open only while that epoch is current, so one write ends every window.
        uint32 emergencyEpoch;
        /// When the policy was last turned off: when the windows of older epochs ended at the latest.
        uint64 emergencyOffAt;
        /// Whether a recovery set a controller (`controllerOf`): kept in this slot, which every
        /// patient check reads anyway, so an unrecovered patient's checks cost no extra read.
        bool recovered;
    }

    struct StorageNode {
        address operator;
        uint64 nextAuditSeq;
    }

    /// @notice The deployer; appoints and removes registrars.
    address public immutable admin;
    mapping(address => bool) public isRegistrar;
    mapping(address => Doctor) public doctors;
    mapping(address => Patient) public patients;
    mapping(address => bytes32) public patientKeys;
    mapping(address => mapping(address => bool)) public isGuardian;
    mapping(bytes32 => StorageNode) public storageNodes;
    /// @notice Anchored audit roots by node and last sequence number of the batch.
    mapping(bytes32 => mapping(uint64 => bytes32)) public auditRoots;
    /// @notice Each patient's emergency escrow policy: the keccak-256 of its document.
    mapping(address => bytes32) public escrowPolicies;
    /// @notice Each escrow custodian's X25519 public key.
    mapping(address => bytes32) public custodianKeys;
    /// @notice The address that acts as each patient since a lost-wallet recovery (0: none, the
    ///         patient's own address acts). The patient's identity stays its address: records,
    ///         grants and guardians stay keyed by it; only who may act as it changes.
    mapping(address => address) public controllerOf;
    /// @notice The guardians' recovery contract (`Recovery`), created with this one: the only
    ///         account that may set a patient's controller.
    address public immutable recovery;

    constructor() {
        admin = msg.sender;
        recovery = address(new Recovery(address(this)));
    }

    modifier onlyRegistrar() {
        if (!isRegistrar[msg.sender]) revert NotRegistrar();
        _;
    }

    /// @notice Appoints (`enabled`) or removes a registrar. Admin only.
    function setRegistrar(address registrar, bool enabled) external {
        if (msg.sender != admin) revert NotAdmin();
        isRegistrar[registrar] = enabled;
        emit RegistrarSet(registrar, enabled);
    }

    /// @notice Verifies a doctor (or updates a verified doctor's license hash). A registrar
    ///         cannot verify itself, and cannot change a verified doctor's encryption key: the
    ///         key is what patients' records are sealed to, so only the doctor may change it.
    /// @param licenseHash A salted hash of the license record the registrar checked.
    /// @param encryptionKey The doctor's X25519 public key.
    function verifyDoctor(address doctor, bytes32 licenseHash, bytes32 encryptionKey) external onlyRegistrar {
        if (encryptionKey == bytes32(0) || doctor == address(0)) revert InvalidKey();
        if (doctor == msg.sender) revert SelfVerification(msg.sender);
        Doctor storage d = doctors[doctor];
        if (d.status == DOCTOR_SUSPENDED) revert NotVerifiedDoctor(doctor);
        if (d.status == DOCTOR_VERIFIED && d.encryptionKey != encryptionKey) revert DoctorKeyChangeNeedsDoctor(doctor);
        doctors[doctor] = Doctor(DOCTOR_VERIFIED, licenseHash, encryptionKey);
        emit DoctorVerified(doctor, msg.sender, licenseHash, encryptionKey);
    }

    /// @notice Suspends a verified doctor: their grants and emergency windows stop working.
    function suspendDoctor(address doctor) external onlyRegistrar {
        Doctor storage d = doctors[doctor];
        if (d.status != DOCTOR_VERIFIED) revert NotVerifiedDoctor(doctor);
        d.status = DOCTOR_SUSPENDED;
        emit DoctorSuspended(doctor, msg.sender);
    }

    /// @notice Reinstates a suspended doctor.
    function reinstateDoctor(address doctor) external onlyRegistrar {
        Doctor storage d = doctors[doctor];
        if (d.status != DOCTOR_SUSPENDED) revert DoctorNotFound(doctor);
        d.status = DOCTOR_VERIFIED;
        emit DoctorReinstated(doctor, msg.sender);
    }

    /// @notice A doctor (verified or suspended) replaces their own encryption key, e.g. one lost
    ///         or exposed. Only the doctor may: the key is what patients' records are sealed to.
    ///         Records sealed to the old key stay sealed to it; new ones use this one.
    function setDoctorKey(bytes32 encryptionKey) external {
        _setDoctorKey(msg.sender, encryptionKey);
    }

    /// @notice Registers a new storage node. A registered node is its operator's: no registrar
    ///         can repoint it to another operator or address (records name it by id).
    function registerStorageNode(bytes32 nodeId, address operator, string calldata url) external onlyRegistrar {
        if (nodeId == bytes32(0) || operator == address(0)) revert UnknownStorageNode(nodeId);
        if (storageNodes[nodeId].operator != address(0)) revert StorageNodeExists(nodeId);
        storageNodes[nodeId].operator = operator;
        emit StorageNodeRegistered(nodeId, operator, url);
    }

    /// @notice Anchors log entries `fromSeq..toSeq` of a node's access log by their Merkle root.
    ///         Batches are contiguous: each starts where the previous one ended.
    function anchorAudit(bytes32 nodeId, uint64 fromSeq, uint64 toSeq, bytes32 merkleRoot) external {
        StorageNode storage node = storageNodes[nodeId];
        if (node.operator != msg.sender) revert NotStorageNodeOperator(nodeId);
        if (fromSeq != node.nextAuditSeq) revert NonContiguousAnchor(node.nextAuditSeq, fromSeq);
        if (toSeq < fromSeq || merkleRoot == bytes32(0)) revert InvalidAnchorRange();
        node.nextAuditSeq = toSeq + 1;
        auditRoots[nodeId][toSeq] = merkleRoot;
        emit AuditAnchored(nodeId, fromSeq, toSeq, merkleRoot);
    }

    /// @notice Registers the caller as a patient with their X25519 encryption public key.
    function registerPatient(bytes32 encryptionKey) external {
        _registerPatient(msg.sender, encryptionKey);
    }

    /// @notice Replaces a patient's encryption key. The patient only: a guardian who could set
    ///         it could read every record sealed afterwards.
    function rotatePatientKey(address patient, bytes32 encryptionKey) external {
        _rotatePatientKey(msg.sender, patient, encryptionKey);
    }

    /// @notice Sets whether verified doctors may open emergency windows, for how long at most, and
    ///         how long a doctor whose window ended (by anyone, by revoke or by time) must wait
    ///         before opening another. Turning it off ends every open window of the patient at
    ///         once: a patient who withdraws break-glass access should not have to find each
    ///         doctor who holds it.
    /// @param cooldown Seconds; 0 lets a doctor reopen at once.
    function setEmergencyPolicy(address patient, bool allowed, uint32 maxWindow, uint32 cooldown) external {
        _setEmergencyPolicy(msg.sender, patient, allowed, maxWindow, cooldown);
    }

    /// @notice Sets the caller's emergency escrow policy: the keccak-256 of the policy document
    ///         the nodes keep (threshold, custodians, escrow key, commitments); zero clears it.
    ///         The patient only (a registered one): a guardian who could choose the custodians
    ///         could choose ones who would collude.
    function setEscrowPolicy(bytes32 policyHash) external {
        if (!patients[msg.sender].registered) revert PatientNotRegistered(msg.sender);
        escrowPolicies[msg.sender] = policyHash;
        emit EscrowPolicySet(msg.sender, policyHash);
    }

    /// @notice Sets the caller's escrow custodian key: the X25519 public key patients seal
    ///         escrow shares to. Any account may be a custodian; patients choose whom to trust.
    function setCustodianKey(bytes32 encryptionKey) external {
        if (encryptionKey == bytes32(0)) revert InvalidKey();
        custodianKeys[msg.sender] = encryptionKey;
        emit CustodianKeySet(msg.sender, encryptionKey);
    }

    /// @notice Appoints a guardian, who may then manage consent for the patient. Patient only.
    function addGuardian(address patient, address guardian) external {
        _setGuardian(msg.sender, patient, guardian, true);
    }

    /// @notice Removes a guardian. Patient only.
    function removeGuardian(address patient, address guardian) external {
        _setGuardian(msg.sender, patient, guardian, false);
    }

    /// @notice Makes `controller` act as `patient` from now on; the patient's own key (lost,
    ///         perhaps stolen) then has no power. The recovery contract only, when a recovery
    ///         its guardians approved has passed its delay.
    function setController(address patient, address controller) external {
        if (msg.sender != recovery) revert NotRecovery(msg.sender);
        controllerOf[patient] = controller;
        patients[patient].recovered = true;
        emit ControllerSet(patient, controller);
    }

    function _setDoctorKey(address doctor, bytes32 encryptionKey) internal {
        if (encryptionKey == bytes32(0)) revert InvalidKey();
        Doctor storage d = doctors[doctor];
        if (d.status == DOCTOR_NONE) revert DoctorNotFound(doctor);
        d.encryptionKey = encryptionKey;
        emit DoctorKeyRotated(doctor, encryptionKey);
    }

    function _registerPatient(address patient, bytes32 encryptionKey) internal {
        if (encryptionKey == bytes32(0)) revert InvalidKey();
        Patient storage p = patients[patient];
        if (p.registered) revert AlreadyRegistered(patient);
        p.registered = true;
        patientKeys[patient] = encryptionKey;
        emit PatientRegistered(patient, encryptionKey);
    }

    function _rotatePatientKey(address actor, address patient, bytes32 encryptionKey) internal {
        if (!_actsAsPatient(actor, patient)) revert NotPatient(actor, patient);
        if (!patients[patient].registered) revert PatientNotRegistered(patient);
        if (encryptionKey == bytes32(0)) revert InvalidKey();
        patientKeys[patient] = encryptionKey;
        emit PatientKeyRotated(patient, encryptionKey);
    }

    function _setEmergencyPolicy(address actor, address patient, bool allowed, uint32 maxWindow, uint32 cooldown)
        internal
    {
        _requirePatientOrGuardian(actor, patient);
        if (maxWindow > MAX_EMERGENCY_WINDOW || (allowed && maxWindow == 0)) revert InvalidDuration(maxWindow);
        Patient memory p = patients[patient];
        p.emergencyAllowed = allowed;
        p.maxEmergencyWindow = maxWindow;
        p.emergencyCooldown = cooldown;
        if (!allowed) {
            ++p.emergencyEpoch;
            p.emergencyOffAt = uint64(block.timestamp);
        }
        patients[patient] = p;
        emit EmergencyPolicySet(patient, allowed, maxWindow, cooldown);
    }

    function _setGuardian(address actor, address patient, address guardian, bool enabled) internal {
        if (!_actsAsPatient(actor, patient)) revert NotPatient(actor, patient);
        if (!patients[patient].registered) revert PatientNotRegistered(patient);
        if (guardian == address(0) || guardian == patient) revert NotPatientOrGuardian(guardian, patient);
        isGuardian[patient][guardian] = enabled;
        if (enabled) emit GuardianAdded(patient, guardian);
        else emit GuardianRemoved(patient, guardian);
    }

    /// @dev The patient (registered) or one of their guardians.
    function _requirePatientOrGuardian(address actor, address patient) internal view {
        bytes memory refusal = _patientOrGuardianRefusal(actor, patient);
        if (refusal.length != 0) _revertWith(refusal);
    }

    /// @dev Why `actor` may not act for `patient`, as the revert data of _requirePatientOrGuardian;
    ///      empty if it may.
    function _patientOrGuardianRefusal(address actor, address patient) internal view returns (bytes memory refusal) {
        if (!patients[patient].registered) return abi.encodeWithSelector(PatientNotRegistered.selector, patient);
        if (!_actsAsPatient(actor, patient) && !isGuardian[patient][actor]) {
            return abi.encodeWithSelector(NotPatientOrGuardian.selector, actor, patient);
        }
    }

    /// @dev Whether `actor` acts as `patient`: the patient's controller if a recovery set one,
    ///      else the patient's own address.
    function _actsAsPatient(address actor, address patient) internal view returns (bool) {
        return actor == (patients[patient].recovered ? controllerOf[patient] : patient);
    }

    /// @dev Reverts with `revertData` as it is (a custom error's selector and arguments).
    function _revertWith(bytes memory revertData) internal pure {
        assembly ("memory-safe") {
            revert(add(revertData, 32), mload(revertData))
        }
    }

    function _isVerifiedDoctor(address account) internal view returns (bool) {
        return doctors[account].status == DOCTOR_VERIFIED;
    }
}
