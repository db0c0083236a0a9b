// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Medchain} from "../../src/Medchain.sol";
import {Test} from "../utils/Test.sol";
import {Handler} from "./Handler.sol";

/// @notice The rules that must hold after any sequence of actions (foundry.toml: 256 runs of
///         depth 100).
contract InvariantsTest is Test {
    Medchain internal medchain;
    Handler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        medchain = new Medchain();
        address registrar = address(0x8E6);
        bytes32 node = keccak256("node");
        uint256[5] memory keys = [uint256(0xA11CE), 0xB0B, 0x6A4D, 0xD0C, 0xD0C2];
        handler = new Handler(medchain, registrar, node, keys);
        medchain.setRegistrar(registrar, true);
        address doctor0 = handler.doctorAt(0);
        address doctor1 = handler.doctorAt(1);
        vm.startPrank(registrar);
        medchain.verifyDoctor(doctor0, keccak256("l0"), bytes32(uint256(1)));
        medchain.verifyDoctor(doctor1, keccak256("l1"), bytes32(uint256(2)));
        medchain.registerStorageNode(node, address(0x90DE), "http://127.0.0.1:8080");
        vm.stopPrank();
        // Arguments first: a prank applies to the very next call, which must be the contract's.
        for (uint256 i = 0; i < 2; ++i) {
            address patient = handler.patientAt(i);
            vm.prank(patient);
            medchain.registerPatient(bytes32(uint256(0x100 + i)));
        }
        address firstPatient = handler.patientAt(0);
        address guardian = handler.guardian();
        vm.prank(firstPatient);
        medchain.addGuardian(firstPatient, guardian);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// Only the patient, a guardian, or their valid signature creates, widens or removes a grant.
    function invariant_OnlyPatientOrGuardianChangesGrants() public view {
        assertEq(handler.unauthorizedGrantChanges(), 0, "a grant changed by someone else");
        for (uint256 p = 0; p < 2; ++p) {
            for (uint256 d = 0; d < 2; ++d) {
                (uint16 scope, uint8 permissions, uint64 expiry) = medchain.grants(handler.patientAt(p), handler.doctorAt(d));
                (uint16 ghostScope, uint8 ghostPermissions, uint64 ghostExpiry) =
                    handler.ghostGrants(handler.patientAt(p), handler.doctorAt(d));
                assertTrue(scope == ghostScope && permissions == ghostPermissions && expiry == ghostExpiry,
                           "grant differs from what authorized actions made");
            }
        }
    }

    /// After revoke, expiry, suspension or the end of an emergency window, nothing is left:
    /// canRead and canAppend are exactly what the live grants and windows allow.
    function invariant_PermissionsEndWithTheirGrant() public view {
        for (uint256 p = 0; p < 2; ++p) {
            for (uint256 d = 0; d < 2; ++d) {
                address patient = handler.patientAt(p);
                address doctor = handler.doctorAt(d);
                (uint16 scope, uint8 permissions, uint64 expiry) = handler.ghostGrants(patient, doctor);
                bool active = !handler.ghostSuspended(doctor);
                bool granted = active && block.timestamp < expiry;
                bool emergency = active && block.timestamp < handler.ghostEmergency(patient, doctor);
                for (uint8 category = 0; category < 12; ++category) {
                    bool expected = emergency || (granted && permissions & 1 != 0 && scope & (uint16(1) << category) != 0);
                    assertTrue(medchain.canRead(patient, doctor, category) == expected, "canRead outlived its grant");
                }
                assertTrue(medchain.canAppend(patient, doctor) == (granted && permissions & 2 != 0),
                           "canAppend outlived its grant");
            }
        }
    }

    /// No doctor reopens an emergency window within the patient's cooldown after their last one
    /// ended, however it ended (by time, by the patient, a guardian or the doctor, by revoke, or by
    /// the policy going off).
    function invariant_NoEmergencyWindowReopensWithinTheCooldown() public view {
        assertEq(handler.cooldownViolations(), 0, "an emergency window reopened within the cooldown");
    }

    /// No signature is accepted twice, after its deadline, or under another chain id or contract.
    function invariant_SignaturesAreSingleUseAndBound() public view {
        assertEq(handler.badSignaturesAccepted(), 0, "a bad signature was accepted");
    }

    /// Record history is append-only: every head is the hash chain of all its versions, and every
    /// version links to the one before.
    function invariant_RecordHistoryIsAppendOnly() public view {
        assertEq(handler.historyViolations(), 0, "a stale version was built on");
        uint256 count = 0;
        while (true) {
            bytes32 recordId;
            try handler.recordIds(count) returns (bytes32 id) {
                recordId = id;
            } catch {
                break;
            }
            ++count;
            assertEq(medchain.recordHeads(recordId), _chainHead(recordId), "record head is not the chain of its versions");
        }
    }

    function _chainHead(bytes32 recordId) internal view returns (bytes32 head) {
        Medchain.RecordVersion[] memory versions = handler.versionsOf(recordId);
        for (uint256 i = 0; i < versions.length; ++i) {
            assertEq(versions[i].previous, head, "version does not link to the previous one");
            assertEq(versions[i].version, i + 1, "versions are numbered in order");
            head = medchain.versionHash(versions[i]);
        }
    }
}
