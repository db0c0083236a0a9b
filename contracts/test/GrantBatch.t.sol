// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {Medchain} from "../src/Medchain.sol";
import {IMedchain} from "../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../src/libraries/IntentTypes.sol";
import {Vm} from "./utils/Vm.sol";
import {Fixture} from "./utils/Fixture.sol";
import {GrantEntries} from "./utils/GrantEntries.sol";

/// @notice relayGrantBatch: each entry an ordinary signed GrantAccess, accepted or refused exactly
///         as grantAccessBySig would at that point, a refused one skipped without a trace.
contract GrantBatchTest is Fixture {
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    bytes32 internal constant BATCH_ENTRY_FAILED = keccak256("BatchEntryFailed(uint256,bytes)");
    uint256 internal deadline;
    uint64 internal expiry;

    function setUp() public override {
        super.setUp();
        deadline = block.timestamp + 1 hours;
        expiry = uint64(block.timestamp + 30 days);
    }

    function _grant(address patient_, address doctor_, uint256 nonce) internal view returns (T.GrantAccess memory) {
        return T.GrantAccess(patient_, doctor_, LAB, READ, expiry, nonce, deadline);
    }

    /// The BatchEntryFailed events of the last recorded call, as (index, reason).
    function _failures() internal returns (uint256[] memory indexes, bytes[] memory reasons) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 n = 0;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == BATCH_ENTRY_FAILED) ++n;
        }
        indexes = new uint256[](n);
        reasons = new bytes[](n);
        n = 0;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != BATCH_ENTRY_FAILED) continue;
            indexes[n] = uint256(logs[i].topics[1]);
            reasons[n] = abi.decode(logs[i].data, (bytes));
            ++n;
        }
    }

    function _assertGrant(address patient_, address doctor_, uint16 scope, string memory message) internal view {
        (uint16 actual,,) = medchain.grants(patient_, doctor_);
        assertEq(actual, scope, message);
    }

    function test_EachEntryIsAnOrdinarySignedGrant() public {
        uint256 n = nonceOf(PATIENT_KEY);
        T.GrantAccess memory byGuardian = _grant(patient, doctor2, nonceOf(GUARDIAN_KEY));
        byGuardian.scope = IMAGING;
        bytes memory entries = bytes.concat(
            grantEntry(PATIENT_KEY, _grant(patient, doctor, n)),
            grantEntry(GUARDIAN_KEY, byGuardian),
            samePatient(grantEntry(PATIENT_KEY, _grant(patient, stranger, n + 1))),
            grantEntry(PATIENT2_KEY, _grant(patient2, doctor, nonceOf(PATIENT2_KEY)))
        );
        vm.expectEmit(true, true, false, true);
        emit IMedchain.AccessGranted(patient, doctor, LAB, READ, expiry);
        vm.expectEmit(true, true, false, true);
        emit IMedchain.AccessGranted(patient, doctor2, IMAGING, READ, expiry);
        vm.expectEmit(true, true, false, true);
        emit IMedchain.AccessGranted(patient, stranger, LAB, READ, expiry);
        vm.expectEmit(true, true, false, true);
        emit IMedchain.AccessGranted(patient2, doctor, LAB, READ, expiry);
        assertEq(medchain.relayGrantBatch(entries), 4, "every entry granted");
        assertTrue(medchain.canRead(patient, doctor2, 2), "the guardian's grant");
        assertTrue(medchain.canRead(patient2, doctor, 1), "another patient's grant in the same batch");
        assertEq(medchain.nonces(patient), n + 2, "the patient signed two");
        assertEq(medchain.nonces(guardian), 1, "the guardian's entry used the guardian's nonce");
        assertEq(medchain.nonces(patient2), 1, "patient2 signed one");
    }

    function test_TheSignatureIsTheOneGrantAccessBySigTakes() public {
        T.GrantAccess memory m = _grant(patient, doctor, nonceOf(PATIENT_KEY));
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(PATIENT_KEY, medchain.intentDigest(keccak256(abi.encode(T.GRANT_ACCESS, m))));
        medchain.grantAccessBySig(m, abi.encodePacked(r, s, v));
        // One nonce space: the same signed intent is not accepted again through the batch.
        vm.recordLogs();
        assertEq(medchain.relayGrantBatch(packGrant(m, r, GrantEntries.compact(v, s))), 0, "used");
        (, bytes[] memory reasons) = _failures();
        assertEq(
            keccak256(reasons[0]),
            keccak256(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, 1)),
            "already used"
        );
        // And the other way round.
        T.GrantAccess memory next = _grant(patient, doctor2, 1);
        medchain.relayGrantBatch(grantEntry(PATIENT_KEY, next));
        bytes memory signature = sign(PATIENT_KEY, keccak256(abi.encode(T.GRANT_ACCESS, next)));
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, 2));
        medchain.grantAccessBySig(next, signature);
    }

    /// Every way an entry can fail, each skipped with grantAccessBySig's revert data, between two
    /// good entries that both stand.
    function test_EverySkipReasonAndTheGoodEntriesAroundThem() public {
        uint256 n = nonceOf(PATIENT_KEY);
        bytes[] memory entries = new bytes[](12);
        bytes[] memory expected = new bytes[](12);
        entries[0] = grantEntry(PATIENT_KEY, _grant(patient, doctor, n));
        // From here the patient's current nonce is n + 1: a skipped entry does not use it.
        T.GrantAccess memory m = _grant(patient, doctor2, n + 1);
        m.deadline = block.timestamp - 1;
        entries[1] = grantEntry(PATIENT_KEY, m);
        expected[1] = abi.encodeWithSelector(IMedchain.IntentExpired.selector, m.deadline);
        m = _grant(patient, doctor2, n + 1);
        entries[2] = packGrant(m, bytes32(uint256(1)), bytes32(HALF_ORDER + 1));
        expected[2] = abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, bytes32(HALF_ORDER + 1));
        entries[3] = packGrant(m, bytes32(0), bytes32(uint256(1)));
        expected[3] = abi.encodeWithSelector(ECDSA.ECDSAInvalidSignature.selector);
        entries[4] = grantEntry(PATIENT_KEY, _grant(patient, doctor2, n + 5));
        expected[4] = abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, n + 1);
        entries[5] = grantEntry(STRANGER_KEY, _grant(patient, doctor2, 0));
        expected[5] = abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, stranger, patient);
        entries[6] = grantEntry(STRANGER_KEY, _grant(stranger, doctor2, 0));
        expected[6] = abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger);
        m = _grant(patient, doctor2, n + 1);
        m.scope = 0;
        entries[7] = grantEntry(PATIENT_KEY, m);
        expected[7] = abi.encodeWithSelector(IMedchain.InvalidScope.selector, uint16(0), READ);
        m = _grant(patient, doctor2, n + 1);
        m.expiry = uint64(block.timestamp);
        entries[8] = grantEntry(PATIENT_KEY, m);
        expected[8] = abi.encodeWithSelector(IMedchain.InvalidExpiry.selector, uint64(block.timestamp));
        entries[9] = grantEntry(PATIENT_KEY, _grant(patient, patient, n + 1));
        expected[9] = abi.encodeWithSelector(IMedchain.DoctorNotFound.selector, patient);
        entries[10] = grantEntry(PATIENT_KEY, _grant(patient, address(0), n + 1));
        expected[10] = abi.encodeWithSelector(IMedchain.DoctorNotFound.selector, address(0));
        entries[11] = grantEntry(PATIENT_KEY, _grant(patient, doctor2, n + 1));

        vm.recordLogs();
        uint256 granted = medchain.relayGrantBatch(
            bytes.concat(
                bytes.concat(entries[0], entries[1], entries[2], entries[3], entries[4], entries[5]),
                bytes.concat(entries[6], entries[7], entries[8], entries[9], entries[10], entries[11])
            )
        );
        (uint256[] memory indexes, bytes[] memory reasons) = _failures();
        assertEq(granted, 2, "the first and the last");
        assertEq(indexes.length, 10, "ten skipped");
        for (uint256 i = 0; i < 10; ++i) {
            assertEq(indexes[i], i + 1, "in order");
            assertEq(
                keccak256(reasons[i]), keccak256(expected[i + 1]), string.concat("reason of entry ", vm.toString(i + 1))
            );
        }
        _assertGrant(patient, doctor, LAB, "the first stands");
        _assertGrant(patient, doctor2, LAB, "the last stands");
        assertEq(medchain.nonces(patient), n + 2, "two nonces used");
        assertEq(medchain.nonces(stranger), 0, "a skipped entry uses no nonce");
    }

    function test_AnEntryForAnotherChainContractOrPastItsDeadlineIsSkipped() public {
        uint256 n = nonceOf(PATIENT_KEY);
        T.GrantAccess memory m = _grant(patient, doctor, n);
        bytes32 structHash = keccak256(abi.encode(T.GRANT_ACCESS, m));
        Medchain other = new Medchain();
        bytes memory otherContract = grantEntrySignedOver(PATIENT_KEY, m, other.intentDigest(structHash));
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        bytes memory otherChain = grantEntrySignedOver(PATIENT_KEY, m, medchain.intentDigest(structHash));
        vm.chainId(chainId);
        bytes memory inTime = grantEntry(PATIENT_KEY, m);
        vm.warp(m.deadline + 1);
        assertEq(medchain.relayGrantBatch(bytes.concat(otherContract, otherChain, inTime)), 0, "none granted");
        assertFalse(medchain.canRead(patient, doctor, 1), "nothing granted");
        assertEq(medchain.nonces(patient), n, "no nonce used");
        vm.warp(m.deadline);
        assertEq(medchain.relayGrantBatch(inTime), 1, "the same entry, at its deadline");
    }

    function test_ReplayingABatchChangesNothing() public {
        uint256 n = nonceOf(PATIENT_KEY);
        bytes memory entries = bytes.concat(
            grantEntry(PATIENT_KEY, _grant(patient, doctor, n)),
            samePatient(grantEntry(PATIENT_KEY, _grant(patient, doctor2, n + 1)))
        );
        assertEq(medchain.relayGrantBatch(entries), 2, "first time");
        vm.prank(patient);
        medchain.revokeAccess(patient, doctor);
        vm.recordLogs();
        assertEq(medchain.relayGrantBatch(entries), 0, "replayed");
        (uint256[] memory indexes, bytes[] memory reasons) = _failures();
        assertEq(indexes.length, 2, "both skipped");
        bytes memory used = abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, n + 2);
        assertEq(keccak256(reasons[0]), keccak256(used), "first: nonce used");
        assertEq(keccak256(reasons[1]), keccak256(used), "second: nonce used");
        assertFalse(medchain.canRead(patient, doctor, 1), "the revoked grant stays revoked");
        assertEq(medchain.nonces(patient), n + 2, "no nonce used");
    }

    /// The documented cascade: a skipped entry keeps its nonce, so the signer's next entry, signed
    /// for the nonce after it, is skipped too; other signers' entries are not affected.
    function test_ASkippedEntryKeepsItsNonceForTheSignersNextEntries() public {
        uint256 n = nonceOf(PATIENT_KEY);
        T.GrantAccess memory bad = _grant(patient, doctor, n);
        bad.permissions = 0;
        bytes memory entries = bytes.concat(
            grantEntry(PATIENT_KEY, bad),
            samePatient(grantEntry(PATIENT_KEY, _grant(patient, doctor2, n + 1))),
            grantEntry(PATIENT2_KEY, _grant(patient2, doctor, nonceOf(PATIENT2_KEY)))
        );
        vm.recordLogs();
        assertEq(medchain.relayGrantBatch(entries), 1, "only the other patient's");
        (uint256[] memory indexes, bytes[] memory reasons) = _failures();
        assertEq(indexes[1], 1, "the second skipped");
        assertEq(
            keccak256(reasons[1]),
            keccak256(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, n)),
            "for its nonce"
        );
        assertTrue(medchain.canRead(patient2, doctor, 1), "the other signer's entry stands");
        // Re-signed for the nonce still current, it goes through.
        assertEq(medchain.relayGrantBatch(grantEntry(PATIENT_KEY, _grant(patient, doctor2, n))), 1, "re-signed");
    }

    function test_AZeroPatientIsThePreviousEntrysPatient() public {
        uint256 n = nonceOf(PATIENT_KEY);
        // First in a batch, there is no previous patient: a zero patient is the zero address.
        T.GrantAccess memory none = _grant(address(0), doctor, n);
        vm.recordLogs();
        assertEq(medchain.relayGrantBatch(grantEntry(PATIENT_KEY, none)), 0, "no patient");
        (, bytes[] memory reasons) = _failures();
        assertEq(
            keccak256(reasons[0]),
            keccak256(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, address(0))),
            "not registered"
        );
        // After a failed entry too: the previous entry's patient, whatever became of that entry.
        T.GrantAccess memory bad = _grant(patient2, doctor, 99);
        bytes memory entries = bytes.concat(
            grantEntry(PATIENT2_KEY, bad),
            samePatient(grantEntry(PATIENT2_KEY, _grant(patient2, doctor, nonceOf(PATIENT2_KEY))))
        );
        assertEq(medchain.relayGrantBatch(entries), 1, "the second, for patient2");
        assertTrue(medchain.canRead(patient2, doctor, 1), "granted");
    }

    function test_ABatchThatIsNotWholeEntriesReverts() public {
        bytes memory entry = grantEntry(PATIENT_KEY, _grant(patient, doctor, nonceOf(PATIENT_KEY)));
        bytes memory truncated = new bytes(entry.length - 1);
        for (uint256 i = 0; i < truncated.length; ++i) {
            truncated[i] = entry[i];
        }
        vm.expectRevert(abi.encodeWithSelector(IMedchain.MalformedGrantBatch.selector, truncated.length));
        medchain.relayGrantBatch(truncated);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.MalformedGrantBatch.selector, entry.length + 1));
        medchain.relayGrantBatch(bytes.concat(entry, hex"00"));
        assertEq(medchain.relayGrantBatch(""), 0, "an empty batch does nothing");
    }

    /// Differential: whatever the signer, patient, doctor, terms, nonce, deadline and signature,
    /// an entry takes effect exactly when grantAccessBySig would, with the same result, and is
    /// otherwise skipped with grantAccessBySig's revert data and no change. Each input is valid
    /// most of the time and wrong in one of its ways otherwise, so that both outcomes are common.
    function testFuzz_AnEntryIsAcceptedOrRefusedAsByGrantAccessBySig(
        uint8 signerSeed,
        uint8 partySeed,
        uint16 scope,
        uint8 permissions,
        uint32 expiryOffset,
        uint32 deadlineOffset,
        uint8 nonceSkew,
        bool highS
    ) public {
        (address patient_, uint256 key) = _parties(partySeed, signerSeed);
        if (nonceSkew % 8 == 6 && key != STRANGER_KEY) _useANonce(key); // then sign for the used one
        T.GrantAccess memory m = _fuzzGrant(vm.addr(key), patient_, partySeed / 8, scope, permissions, nonceSkew);
        _fuzzTimes(m, expiryOffset, deadlineOffset);
        _signAndCompare(key, m, highS && signerSeed >= 224);
    }

    /// Mostly the patient or patient2, else a stranger; the signer mostly the patient itself, else
    /// the guardian (of `patient`), a stranger or patient2.
    function _parties(uint8 partySeed, uint8 signerSeed) internal view returns (address patient_, uint256 key) {
        address[8] memory patients = [patient, patient, patient, patient, patient, patient2, patient2, stranger];
        patient_ = patients[partySeed % 8];
        uint256 own = patient_ == patient ? PATIENT_KEY : patient_ == patient2 ? PATIENT2_KEY : STRANGER_KEY;
        uint256[8] memory keys = [own, own, own, own, own, GUARDIAN_KEY, STRANGER_KEY, PATIENT2_KEY];
        key = keys[signerSeed % 8];
    }

    function _fuzzTimes(T.GrantAccess memory m, uint32 expiryOffset, uint32 deadlineOffset) internal view {
        m.expiry = expiryOffset % 8 == 0
            ? uint64(block.timestamp - expiryOffset % 2 days)
            : uint64(block.timestamp + 1 + expiryOffset % 30 days);
        uint256 late = deadlineOffset % 8;
        m.deadline = late == 0 ? block.timestamp - 1 - deadlineOffset % 1 days : block.timestamp + (late - 1) * 1 hours;
    }

    function _signAndCompare(uint256 key, T.GrantAccess memory m, bool highS) internal {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, medchain.intentDigest(keccak256(abi.encode(T.GRANT_ACCESS, m))));
        if (highS) s = bytes32(HALF_ORDER + 1 + uint256(s) % (1 << 64)); // still representable in (r, vs)
        _compare(vm.addr(key), m, abi.encodePacked(r, s, v), packGrant(m, r, GrantEntries.compact(v, s)));
    }

    function _fuzzGrant(
        address signer,
        address patient_,
        uint256 doctorSeed,
        uint16 scope,
        uint8 permissions,
        uint8 nonceSkew
    ) internal view returns (T.GrantAccess memory m) {
        m.patient = patient_;
        address[8] memory doctors = [doctor, doctor, doctor, doctor, doctor2, doctor2, address(0), patient_];
        m.doctor = doctors[doctorSeed % 8];
        if (scope % 4 == 0) {
            (m.scope, m.permissions) = (scope & 0x1FFF, permissions % 4); // mostly invalid
        } else {
            uint16[3] memory scopes = [LAB, LAB | IMAGING, 0];
            uint8[3] memory perms = [READ, READ | APPEND, APPEND];
            (m.scope, m.permissions) = (scopes[scope % 4 - 1], perms[scope % 4 - 1]);
        }
        uint256 current = medchain.nonces(signer);
        m.nonce = nonceSkew % 8 == 7 ? current + 1 : nonceSkew % 8 == 6 && current > 0 ? current - 1 : current;
    }

    function _useANonce(uint256 key) internal {
        address signer = vm.addr(key);
        T.RevokeAccess memory m =
            T.RevokeAccess(key == GUARDIAN_KEY ? patient : signer, doctor2, medchain.nonces(signer), deadline);
        medchain.revokeAccessBySig(m, sign(key, keccak256(abi.encode(T.REVOKE_ACCESS, m))));
    }

    function _compare(address signer, T.GrantAccess memory m, bytes memory signature, bytes memory entry) internal {
        uint256 snapshot = vm.snapshotState();
        (bool ok, bytes memory revertData) =
            address(medchain).call(abi.encodeCall(medchain.grantAccessBySig, (m, signature)));
        bytes memory single = _state(signer, m);
        vm.revertToState(snapshot);

        vm.recordLogs();
        uint256 granted = medchain.relayGrantBatch(entry);
        (uint256[] memory indexes, bytes[] memory reasons) = _failures();
        assertEq(granted, ok ? 1 : 0, "accepted exactly when grantAccessBySig accepts");
        assertEq(indexes.length, ok ? 0 : 1, "a refused entry is reported");
        if (!ok) assertEq(keccak256(reasons[0]), keccak256(revertData), "with grantAccessBySig's revert data");
        bytes memory batch = _state(signer, m);
        assertEq(keccak256(batch), keccak256(single), "the same grant and nonce after");
    }

    function _state(address signer, T.GrantAccess memory m) internal view returns (bytes memory) {
        (uint16 scope, uint8 permissions, uint64 expiry_) = medchain.grants(m.patient, m.doctor);
        return abi.encode(scope, permissions, expiry_, medchain.nonces(signer));
    }
}
