// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Scopes} from "../libraries/Scopes.sol";
import {Registry} from "./Registry.sol";

/// @title Consent
/// @notice Access requests, grants, revocation and emergency windows, and the views every
///         storage node asks before serving a blob or a key.
/// @dev Storage, one slot each:
///        grants[p][d]     scope (uint16) | permissions (uint8) | expiry (uint64)
///        emergencyWindows[p][d]  until (uint64) | epoch (uint32)
///        requests[id]     patient (address) | scope (uint16) | permissions (uint8) | duration (uint32) | status (uint8)
///      A request id is (sequence << 160) | doctor, so the requesting doctor needs no slot of its own.
///      Time windows are half-open: a grant is valid while block.timestamp < expiry.
abstract contract Consent is Registry {
    uint8 internal constant REQUEST_NONE = 0;
    uint8 internal constant REQUEST_PENDING = 1;
    uint8 internal constant REQUEST_APPROVED = 2;
    uint8 internal constant REQUEST_DENIED = 3;
    uint8 internal constant REQUEST_CANCELLED = 4;
    /// @notice The longest grant a request may ask for.
    uint32 public constant MAX_REQUEST_DURATION = 365 days;
    /// @notice Emergency reason codes are 1..MAX_REASON_CODE (docs/contracts.md lists them).
    uint16 public constant MAX_REASON_CODE = 5;

    struct Grant {
        uint16 scope;
        uint8 permissions;
        uint64 expiry;
    }

    /// @dev Open while block.timestamp < until and `epoch` is the patient's current emergency
    ///      epoch. Ending a window sets `until` to the moment it ended, which starts the cooldown.
    struct EmergencyWindow {
        uint64 until;
        uint32 epoch;
    }

    struct Request {
        address patient;
        uint16 scope;
        uint8 permissions;
        uint32 duration;
        uint8 status;
    }

    mapping(address => mapping(address => Grant)) public grants;
    mapping(address => mapping(address => EmergencyWindow)) public emergencyWindows;
    mapping(uint256 => Request) public requests;
    uint96 public requestCount;

    /// @notice May `doctor` read records of `category` (0..11) of `patient` now? True for a
    ///         verified (not suspended) doctor with an unexpired grant covering the category, or
    ///         with an open emergency window.
    function canRead(address patient, address doctor, uint8 category) public view returns (bool) {
        if (category >= Scopes.CATEGORY_COUNT || !_isVerifiedDoctor(doctor)) return false;
        if (_isEmergencyWindowOpen(patient, doctor)) return true;
        Grant memory g = grants[patient][doctor];
        return block.timestamp < g.expiry && g.permissions & Scopes.READ != 0 && g.scope & (uint16(1) << category) != 0;
    }

    /// @notice May `doctor` add records to `patient`'s file now?
    function canAppend(address patient, address doctor) public view returns (bool) {
        if (!_isVerifiedDoctor(doctor)) return false;
        Grant memory g = grants[patient][doctor];
        return block.timestamp < g.expiry && g.permissions & Scopes.APPEND != 0;
    }

    /// @notice The doctor who made request `requestId`.
    function requester(uint256 requestId) public pure returns (address) {
        return address(uint160(requestId));
    }

    /// @notice A verified doctor asks `patient` for (scope, permissions) for `duration` seconds.
    /// @param reasonHash A salted hash of the reason the doctor gave off chain.
    /// @return requestId The request's id; its low 160 bits are the doctor's address.
    function requestAccess(address patient, uint16 scope, uint8 permissions, uint32 duration, bytes32 reasonHash)
        external
        returns (uint256 requestId)
    {
        return _requestAccess(msg.sender, patient, scope, permissions, duration, reasonHash);
    }

    /// @notice The patient or a guardian approves a pending request, possibly for less than was
    ///         asked. The grant is widened, never narrowed: scopes and permissions are added to an
    ///         unexpired grant, and the expiry is the later of the two.
    function approveRequest(uint256 requestId, uint16 scope, uint8 permissions, uint32 duration) external {
        _approveRequest(msg.sender, requestId, scope, permissions, duration);
    }

    /// @notice The patient or a guardian denies a pending request.
    function denyRequest(uint256 requestId) external {
        _denyRequest(msg.sender, requestId);
    }

    /// @notice The requesting doctor withdraws a pending request.
    function cancelRequest(uint256 requestId) external {
        _cancelRequest(msg.sender, requestId);
    }

    /// @notice The patient or a guardian sets the doctor's grant to exactly (scope, permissions)
    ///         until `expiry`: granting again narrows or extends.
    function grantAccess(address patient, address doctor, uint16 scope, uint8 permissions, uint64 expiry) external {
        _grantAccess(msg.sender, patient, doctor, scope, permissions, expiry);
    }

    /// @notice The patient or a guardian removes the doctor's grant and ends any emergency window.
    function revokeAccess(address patient, address doctor) external {
        _revokeAccess(msg.sender, patient, doctor);
    }

    /// @notice A verified doctor opens a read-everything window, if the patient's policy allows,
    ///         for at most the policy's maximum.
    /// @param reasonCode A code from the emergency reason list (docs/contracts.md); no free text.
    function openEmergencyAccess(address patient, uint32 duration, uint16 reasonCode) external {
        _openEmergencyAccess(msg.sender, patient, duration, reasonCode);
    }

    /// @notice The patient, a guardian or the doctor ends an open emergency window early.
    function endEmergencyAccess(address patient, address doctor) external {
        _endEmergencyAccess(msg.sender, patient, doctor);
    }

    function _requestAccess(
        address doctor,
        address patient,
        uint16 scope,
        uint8 permissions,
        uint32 duration,
        bytes32 reasonHash
    ) internal returns (uint256 requestId) {
        if (!_isVerifiedDoctor(doctor)) revert NotVerifiedDoctor(doctor);
        if (!patients[patient].registered) revert PatientNotRegistered(patient);
        if (!Scopes.isValid(scope, permissions)) revert InvalidScope(scope, permissions);
        if (duration == 0 || duration > MAX_REQUEST_DURATION) revert InvalidDuration(duration);
        uint96 sequence = ++requestCount;
        requestId = (uint256(sequence) << 160) | uint160(doctor);
        requests[requestId] = Request(patient, scope, permissions, duration, REQUEST_PENDING);
        emit AccessRequested(requestId, patient, doctor, scope, permissions, duration, reasonHash);
    }

    function _approveRequest(address actor, uint256 requestId, uint16 scope, uint8 permissions, uint32 duration)
        internal
    {
        Request storage r = requests[requestId];
        if (r.status != REQUEST_PENDING) revert RequestNotPending(requestId);
        address patient = r.patient;
        _requirePatientOrGuardian(actor, patient);
        if (!Scopes.isValid(scope, permissions)) revert InvalidScope(scope, permissions);
        if (scope & ~r.scope != 0 || permissions & ~r.permissions != 0 || duration == 0 || duration > r.duration) {
            revert ApprovalExceedsRequest(requestId);
        }
        r.status = REQUEST_APPROVED;
        address doctor = requester(requestId);
        emit RequestApproved(requestId, patient, doctor, actor);
        Grant memory g = grants[patient][doctor];
        uint64 expiry = uint64(block.timestamp) + duration;
        if (block.timestamp < g.expiry) {
            scope |= g.scope;
            permissions |= g.permissions;
            if (g.expiry > expiry) expiry = g.expiry;
        }
        _writeGrant(patient, doctor, scope, permissions, expiry);
    }

    function _denyRequest(address actor, uint256 requestId) internal {
        Request storage r = requests[requestId];
        if (r.status != REQUEST_PENDING) revert RequestNotPending(requestId);
        _requirePatientOrGuardian(actor, r.patient);
        r.status = REQUEST_DENIED;
        emit RequestDenied(requestId, r.patient, requester(requestId), actor);
    }

    function _cancelRequest(address actor, uint256 requestId) internal {
        Request storage r = requests[requestId];
        if (r.status != REQUEST_PENDING) revert RequestNotPending(requestId);
        if (actor != requester(requestId)) revert NotRequester(actor, requestId);
        r.status = REQUEST_CANCELLED;
        emit RequestCancelled(requestId, r.patient, actor);
    }

    function _grantAccess(address actor, address patient, address doctor, uint16 scope, uint8 permissions, uint64 expiry)
        internal
    {
        bytes memory refusal = _grantRefusal(actor, patient, doctor, scope, permissions, expiry);
        if (refusal.length != 0) _revertWith(refusal);
        _writeGrant(patient, doctor, scope, permissions, expiry);
    }

    /// @dev Why `actor` may not set this grant, as the revert data of grantAccess; empty if it may.
    ///      Reads state only, so a batch can check an entry before any of its effects.
    function _grantRefusal(address actor, address patient, address doctor, uint16 scope, uint8 permissions, uint64 expiry)
        internal
        view
        returns (bytes memory refusal)
    {
        refusal = _patientOrGuardianRefusal(actor, patient);
        if (refusal.length != 0) return refusal;
        if (!Scopes.isValid(scope, permissions)) return abi.encodeWithSelector(InvalidScope.selector, scope, permissions);
        if (expiry <= block.timestamp) return abi.encodeWithSelector(InvalidExpiry.selector, expiry);
        if (doctor == address(0) || doctor == patient) return abi.encodeWithSelector(DoctorNotFound.selector, doctor);
    }

    function _writeGrant(address patient, address doctor, uint16 scope, uint8 permissions, uint64 expiry) internal {
        grants[patient][doctor] = Grant(scope, permissions, expiry);
        emit AccessGranted(patient, doctor, scope, permissions, expiry);
    }

    function _revokeAccess(address actor, address patient, address doctor) internal {
        _requirePatientOrGuardian(actor, patient);
        delete grants[patient][doctor];
        if (_isEmergencyWindowOpen(patient, doctor)) _closeEmergencyWindow(patient, doctor);
        emit AccessRevoked(patient, doctor);
    }

    function _openEmergencyAccess(address doctor, address patient, uint32 duration, uint16 reasonCode) internal {
        if (!_isVerifiedDoctor(doctor)) revert NotVerifiedDoctor(doctor);
        Patient memory p = patients[patient];
        if (!p.registered) revert PatientNotRegistered(patient);
        if (!p.emergencyAllowed) revert EmergencyNotAllowed(patient);
        if (duration == 0 || duration > p.maxEmergencyWindow) revert InvalidDuration(duration);
        if (reasonCode == 0 || reasonCode > MAX_REASON_CODE) revert InvalidReasonCode(reasonCode);
        uint256 reopensAt = _emergencyReopensAt(p, emergencyWindows[patient][doctor]);
        if (block.timestamp < reopensAt) revert EmergencyCooldown(patient, doctor, uint64(reopensAt));
        uint64 until = uint64(block.timestamp) + duration;
        emergencyWindows[patient][doctor] = EmergencyWindow(until, p.emergencyEpoch);
        emit EmergencyAccessOpened(patient, doctor, until, reasonCode);
    }

    function _endEmergencyAccess(address actor, address patient, address doctor) internal {
        if (actor != doctor) _requirePatientOrGuardian(actor, patient);
        // An ended event for a window that is not open would tell the patient's feed a lie.
        if (!_isEmergencyWindowOpen(patient, doctor)) revert NoEmergencyWindow(patient, doctor);
        _closeEmergencyWindow(patient, doctor);
        emit EmergencyAccessEnded(patient, doctor, actor);
    }

    /// @dev Open: before its end, and opened since the patient's policy was last turned off.
    function _isEmergencyWindowOpen(address patient, address doctor) internal view returns (bool) {
        EmergencyWindow memory w = emergencyWindows[patient][doctor];
        return block.timestamp < w.until && w.epoch == patients[patient].emergencyEpoch;
    }

    /// @dev Ends an open window now; its `until` then records when it ended, for the cooldown.
    function _closeEmergencyWindow(address patient, address doctor) internal {
        emergencyWindows[patient][doctor].until = uint64(block.timestamp);
    }

    /// @dev When the doctor of window `w` may open one again under policy `p`: at any time while
    ///      `w` is open (reopening sets its end anew, within the maximum), else `cooldown` after
    ///      `w` ended. A window of an older epoch ended when the policy went off, or at its own
    ///      end if that came first; after several policy changes the last turn-off is used, which
    ///      can only make the wait longer, never shorter.
    function _emergencyReopensAt(Patient memory p, EmergencyWindow memory w) internal view returns (uint256) {
        bool currentEpoch = w.epoch == p.emergencyEpoch;
        if (currentEpoch && block.timestamp < w.until) return 0;
        uint256 endedAt = currentEpoch || w.until < p.emergencyOffAt ? w.until : p.emergencyOffAt;
        return endedAt + p.emergencyCooldown;
    }
}
