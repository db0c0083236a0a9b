// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Medchain} from "../../src/Medchain.sol";
import {IMedchain} from "../../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../../src/libraries/IntentTypes.sol";
import {GrantEntries} from "../utils/GrantEntries.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice Drives random sequences of every action by two patients, a guardian, two doctors, a
///         registrar and a stranger, and keeps a ghost model of what the rules allow. Actions
///         that should fail are tried too; any that succeeds is counted as a violation.
contract Handler {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint8 internal constant READ = 1;
    uint8 internal constant APPEND = 2;

    struct GhostGrant {
        uint16 scope;
        uint8 permissions;
        uint64 expiry;
    }

    struct UsedSignature {
        bytes call;
    }

    Medchain public immutable medchain;
    address public immutable registrar;
    bytes32 public immutable node;
    uint256[5] internal keys; // patient0, patient1, guardian (of patient0), doctor0, doctor1
    uint256 internal constant STRANGER_KEY = 0x57A;

    mapping(address => mapping(address => GhostGrant)) public ghostGrants;
    /// @dev The end of each emergency window: when it ends or ended (by time, by anyone, by revoke
    ///      or by the policy going off); the cooldown runs from it.
    mapping(address => mapping(address => uint64)) public ghostEmergency;
    mapping(address => uint32) internal ghostCooldown;
    mapping(address => bool) public ghostSuspended;
    uint256[] internal requestIds;
    bytes[] internal usedSignedCalls;
    bytes[] internal usedGrantEntries; // relayGrantBatch entries that took effect, each a batch of one
    bytes32[] public recordIds;
    mapping(bytes32 => IMedchain.RecordVersion[]) internal recordVersions;

    /// @notice Counts of rule violations observed; the invariants require all of them to be zero.
    uint256 public unauthorizedGrantChanges;
    uint256 public badSignaturesAccepted;
    uint256 public historyViolations;
    uint256 public cooldownViolations;
    uint256 public calls;

    constructor(Medchain medchain_, address registrar_, bytes32 node_, uint256[5] memory keys_) {
        medchain = medchain_;
        registrar = registrar_;
        node = node_;
        keys = keys_;
    }

    function patientAt(uint256 i) public view returns (address) { return vm.addr(keys[i % 2]); }
    function doctorAt(uint256 i) public view returns (address) { return vm.addr(keys[3 + i % 2]); }
    function guardian() public view returns (address) { return vm.addr(keys[2]); }

    function versionsOf(bytes32 recordId) external view returns (IMedchain.RecordVersion[] memory) {
        return recordVersions[recordId];
    }

    // --- actors -------------------------------------------------------------------------------

    /// @dev 0: the patient, 1: the guardian, 2: a doctor, 3: the stranger.
    function _actor(uint256 seed, address patient, address doctor) internal view returns (address) {
        uint256 choice = seed % 4;
        if (choice == 0) return patient;
        if (choice == 1) return guardian();
        if (choice == 2) return doctor;
        return vm.addr(STRANGER_KEY);
    }

    function _mayManage(address actor, address patient) internal view returns (bool) {
        return actor == patient || (actor == guardian() && patient == patientAt(0));
    }

    function _keyOf(address account) internal view returns (uint256) {
        for (uint256 i = 0; i < keys.length; ++i) {
            if (vm.addr(keys[i]) == account) return keys[i];
        }
        return STRANGER_KEY;
    }

    // --- consent ------------------------------------------------------------------------------

    function grant(uint256 patientSeed, uint256 doctorSeed, uint256 actorSeed, uint16 scope, uint8 permissions, uint32 lifetime)
        external
    {
        ++calls;
        address patient = patientAt(patientSeed);
        address doctor = doctorAt(doctorSeed);
        address actor = _actor(actorSeed, patient, doctor);
        (scope, permissions) = _terms(scope, permissions);
        uint64 expiry = uint64(block.timestamp) + 1 + lifetime % 3 days;
        vm.prank(actor);
        try medchain.grantAccess(patient, doctor, scope, permissions, expiry) {
            if (!_mayManage(actor, patient)) ++unauthorizedGrantChanges;
            ghostGrants[patient][doctor] = GhostGrant(scope, permissions, expiry);
        } catch {}
    }

    function grantBySig(uint256 patientSeed, uint256 doctorSeed, uint256 actorSeed, uint16 scope, uint8 permissions)
        external
    {
        ++calls;
        address patient = patientAt(patientSeed);
        address doctor = doctorAt(doctorSeed);
        address signer = _actor(actorSeed, patient, doctor);
        (scope, permissions) = _terms(scope, permissions);
        uint64 expiry = uint64(block.timestamp) + 1 days;
        T.GrantAccess memory m =
            T.GrantAccess(patient, doctor, scope, permissions, expiry, medchain.nonces(signer), block.timestamp + 1 hours);
        bytes memory signature = _sign(_keyOf(signer), medchain.intentDigest(keccak256(abi.encode(T.GRANT_ACCESS, m))));
        try medchain.grantAccessBySig(m, signature) {
            if (!_mayManage(signer, patient)) ++unauthorizedGrantChanges;
            ghostGrants[patient][doctor] = GhostGrant(scope, permissions, expiry);
            usedSignedCalls.push(abi.encodeCall(medchain.grantAccessBySig, (m, signature)));
        } catch {}
    }

    /// @dev One to three signed grants through relayGrantBatch by random signers; each signed for
    ///      the nonce its signer will have if the signer's earlier entries in the batch succeed.
    function grantBatch(uint256 seed, uint8 size) external {
        ++calls;
        uint256 count = 1 + size % 3;
        T.GrantAccess[] memory grants = new T.GrantAccess[](count);
        address[] memory signers = new address[](count);
        bytes[] memory singles = new bytes[](count);
        bytes memory entries;
        for (uint256 i = 0; i < count; ++i) {
            uint256 entrySeed = uint256(keccak256(abi.encode(seed, i)));
            signers[i] = _actor(entrySeed >> 16, patientAt(entrySeed), doctorAt(entrySeed >> 8));
            uint256 nonce = medchain.nonces(signers[i]);
            for (uint256 j = 0; j < i; ++j) {
                if (signers[j] == signers[i]) ++nonce;
            }
            grants[i] = _batchGrant(entrySeed, nonce);
            singles[i] = _signedGrantEntry(_keyOf(signers[i]), grants[i]);
            bool samePatient = i > 0 && grants[i - 1].patient == grants[i].patient; // sent as zero: "the previous entry's"
            entries = bytes.concat(entries, samePatient ? GrantEntries.withoutPatient(singles[i]) : singles[i]);
        }
        vm.recordLogs();
        medchain.relayGrantBatch(entries);
        bool[] memory failed = _failedEntries(count);
        for (uint256 i = 0; i < count; ++i) {
            if (failed[i]) continue;
            usedGrantEntries.push(singles[i]);
            if (!_mayManage(signers[i], grants[i].patient)) ++unauthorizedGrantChanges;
            ghostGrants[grants[i].patient][grants[i].doctor] =
                GhostGrant(grants[i].scope, grants[i].permissions, grants[i].expiry);
        }
    }

    function _batchGrant(uint256 entrySeed, uint256 nonce) internal view returns (T.GrantAccess memory) {
        (uint16 scope, uint8 permissions) = _terms(uint16(entrySeed >> 24), uint8(entrySeed >> 40));
        return T.GrantAccess(
            patientAt(entrySeed), doctorAt(entrySeed >> 8), scope, permissions, uint64(block.timestamp) + 1 days, nonce,
            block.timestamp + 1 hours
        );
    }

    function revoke(uint256 patientSeed, uint256 doctorSeed, uint256 actorSeed) external {
        ++calls;
        address patient = patientAt(patientSeed);
        address doctor = doctorAt(doctorSeed);
        address actor = _actor(actorSeed, patient, doctor);
        vm.prank(actor);
        try medchain.revokeAccess(patient, doctor) {
            if (!_mayManage(actor, patient)) ++unauthorizedGrantChanges;
            delete ghostGrants[patient][doctor];
            _endGhostEmergency(patient, doctor);
        } catch {}
    }

    function request(uint256 patientSeed, uint256 doctorSeed, uint16 scope, uint8 permissions, uint32 duration) external {
        ++calls;
        (scope, permissions) = _terms(scope, permissions);
        vm.prank(doctorAt(doctorSeed));
        try medchain.requestAccess(patientAt(patientSeed), scope, permissions, 1 + duration % 3 days, bytes32(0)) returns (
            uint256 id
        ) {
            requestIds.push(id);
        } catch {}
    }

    function approve(uint256 requestSeed, uint256 actorSeed, uint32 durationSeed) external {
        ++calls;
        if (requestIds.length == 0) return;
        uint256 id = requestIds[requestSeed % requestIds.length];
        (address patient, uint16 scope, uint8 permissions, uint32 duration,) = medchain.requests(id);
        address doctor = medchain.requester(id);
        address actor = _actor(actorSeed, patient, doctor);
        uint32 approved = 1 + durationSeed % duration;
        GhostGrant memory before = ghostGrants[patient][doctor];
        vm.prank(actor);
        try medchain.approveRequest(id, scope, permissions, approved) {
            if (!_mayManage(actor, patient)) ++unauthorizedGrantChanges;
            uint64 expiry = uint64(block.timestamp) + approved;
            if (block.timestamp < before.expiry) {
                scope |= before.scope;
                permissions |= before.permissions;
                if (before.expiry > expiry) expiry = before.expiry;
            }
            ghostGrants[patient][doctor] = GhostGrant(scope, permissions, expiry);
        } catch {}
    }

    function denyOrCancel(uint256 requestSeed, uint256 actorSeed, bool cancel) external {
        ++calls;
        if (requestIds.length == 0) return;
        uint256 id = requestIds[requestSeed % requestIds.length];
        (address patient,,,,) = medchain.requests(id);
        vm.prank(_actor(actorSeed, patient, medchain.requester(id)));
        if (cancel) {
            try medchain.cancelRequest(id) {} catch {}
        } else {
            try medchain.denyRequest(id) {} catch {}
        }
    }

    function setPolicy(uint256 patientSeed, bool allowed, uint32 window, uint32 cooldown) external {
        ++calls;
        address patient = patientAt(patientSeed);
        cooldown %= 6 hours;
        vm.prank(patient);
        try medchain.setEmergencyPolicy(patient, allowed, allowed ? 1 + window % 72 hours : 0, cooldown) {
            ghostCooldown[patient] = cooldown;
            if (allowed) return;
            _endGhostEmergency(patient, doctorAt(0));
            _endGhostEmergency(patient, doctorAt(1));
        } catch {}
    }

    function openEmergency(uint256 patientSeed, uint256 doctorSeed, uint32 duration) external {
        ++calls;
        address patient = patientAt(patientSeed);
        address doctor = doctorAt(doctorSeed);
        uint32 window = 1 + duration % 72 hours;
        uint64 end = ghostEmergency[patient][doctor];
        bool coolingDown = block.timestamp >= end && block.timestamp < uint256(end) + ghostCooldown[patient];
        vm.prank(doctor);
        try medchain.openEmergencyAccess(patient, window, 1) {
            if (coolingDown) ++cooldownViolations;
            ghostEmergency[patient][doctor] = uint64(block.timestamp) + window;
        } catch {}
    }

    /// @dev An open window ends now; one already over keeps the moment it ended.
    function _endGhostEmergency(address patient, address doctor) internal {
        if (block.timestamp < ghostEmergency[patient][doctor]) ghostEmergency[patient][doctor] = uint64(block.timestamp);
    }

    function endEmergency(uint256 patientSeed, uint256 doctorSeed, uint256 actorSeed) external {
        ++calls;
        address patient = patientAt(patientSeed);
        address doctor = doctorAt(doctorSeed);
        address actor = _actor(actorSeed, patient, doctor);
        vm.prank(actor);
        try medchain.endEmergencyAccess(patient, doctor) {
            _endGhostEmergency(patient, doctor);
        } catch {}
    }

    function suspendOrReinstate(uint256 doctorSeed) external {
        ++calls;
        address doctor = doctorAt(doctorSeed);
        vm.prank(registrar);
        if (ghostSuspended[doctor]) {
            medchain.reinstateDoctor(doctor);
        } else {
            medchain.suspendDoctor(doctor);
        }
        ghostSuspended[doctor] = !ghostSuspended[doctor];
    }

    function warp(uint32 seconds_) external {
        ++calls;
        vm.warp(block.timestamp + seconds_ % 2 days);
    }

    // --- signatures that must never be accepted ---------------------------------------------

    function replay(uint256 index) external {
        ++calls;
        if (usedSignedCalls.length == 0) return;
        (bool ok,) = address(medchain).call(usedSignedCalls[index % usedSignedCalls.length]);
        if (ok) ++badSignaturesAccepted;
    }

    function replayGrantEntry(uint256 index) external {
        ++calls;
        if (usedGrantEntries.length == 0) return;
        if (medchain.relayGrantBatch(usedGrantEntries[index % usedGrantEntries.length]) != 0) ++badSignaturesAccepted;
    }

    function expiredSignature(uint256 patientSeed, uint32 age) external {
        ++calls;
        address patient = patientAt(patientSeed);
        T.GrantAccess memory m = T.GrantAccess(
            patient, doctorAt(0), 2, READ, uint64(block.timestamp + 1 days), medchain.nonces(patient), block.timestamp - 1 - age % 1 days
        );
        bytes32 digest = medchain.intentDigest(keccak256(abi.encode(T.GRANT_ACCESS, m)));
        try medchain.grantAccessBySig(m, _sign(_keyOf(patient), digest)) {
            ++badSignaturesAccepted;
        } catch {}
        if (medchain.relayGrantBatch(_grantEntry(_keyOf(patient), m, digest)) != 0) ++badSignaturesAccepted;
    }

    function foreignDomainSignature(uint256 patientSeed, bool otherChain) external {
        ++calls;
        address patient = patientAt(patientSeed);
        T.GrantAccess memory m = T.GrantAccess(
            patient, doctorAt(1), 2, READ, uint64(block.timestamp + 1 days), medchain.nonces(patient), block.timestamp + 1 hours
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("medchain"),
                keccak256("1"),
                otherChain ? block.chainid + 1 : block.chainid,
                otherChain ? address(medchain) : address(0xdead)
            )
        );
        bytes32 digest = keccak256(abi.encodePacked(hex"1901", domain, keccak256(abi.encode(T.GRANT_ACCESS, m))));
        try medchain.grantAccessBySig(m, _sign(_keyOf(patient), digest)) {
            ++badSignaturesAccepted;
        } catch {}
        if (medchain.relayGrantBatch(_grantEntry(_keyOf(patient), m, digest)) != 0) ++badSignaturesAccepted;
    }

    // --- records ------------------------------------------------------------------------------

    function addRecord(uint256 patientSeed, uint256 actorSeed, bytes32 digest) external {
        ++calls;
        address patient = patientAt(patientSeed);
        address actor = _actor(actorSeed, patient, doctorAt(actorSeed / 4));
        bytes32 recordId = keccak256(abi.encode(recordIds.length, patient));
        if (digest == bytes32(0)) digest = keccak256("empty");
        vm.prank(actor);
        try medchain.addRecord(patient, recordId, digest, node, keccak256(abi.encode(digest))) {
            recordIds.push(recordId);
            recordVersions[recordId].push(
                IMedchain.RecordVersion(patient, actor, 1, digest, node, keccak256(abi.encode(digest)), bytes32(0))
            );
        } catch {}
    }

    function updateRecord(uint256 recordSeed, uint256 actorSeed, bytes32 digest, bool stale) external {
        ++calls;
        if (recordIds.length == 0) return;
        bytes32 recordId = recordIds[recordSeed % recordIds.length];
        IMedchain.RecordVersion[] storage versions = recordVersions[recordId];
        IMedchain.RecordVersion memory current = versions[stale && versions.length > 1 ? 0 : versions.length - 1];
        address actor = _actor(actorSeed, current.patient, current.author);
        if (digest == bytes32(0)) digest = keccak256("empty");
        vm.prank(actor);
        try medchain.updateRecord(recordId, current, digest, node, digest) {
            if (stale && versions.length > 1) ++historyViolations;
            bytes32 previous = medchain.versionHash(versions[versions.length - 1]);
            versions.push(
                IMedchain.RecordVersion(current.patient, current.author, current.version + 1, digest, node, digest, previous)
            );
        } catch {}
    }

    // --- helpers ------------------------------------------------------------------------------

    function _terms(uint16 scope, uint8 permissions) internal pure returns (uint16, uint8) {
        permissions = 1 + permissions % 3;
        scope = permissions & READ != 0 ? 1 + scope % 0x0FFF : 0;
        return (scope, permissions);
    }

    /// @dev `m` as a relayGrantBatch entry (GrantBatch.sol's wire layout) signed over `digest`.
    function _grantEntry(uint256 key, T.GrantAccess memory m, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return GrantEntries.pack(m, r, GrantEntries.compact(v, s));
    }

    function _signedGrantEntry(uint256 key, T.GrantAccess memory m) internal view returns (bytes memory) {
        return _grantEntry(key, m, medchain.intentDigest(keccak256(abi.encode(T.GRANT_ACCESS, m))));
    }

    /// @dev Which of the last call's `count` entries BatchEntryFailed reported.
    function _failedEntries(uint256 count) internal returns (bool[] memory failed) {
        failed = new bool[](count);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == IMedchain.BatchEntryFailed.selector) failed[uint256(logs[i].topics[1])] = true;
        }
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
