// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IMedchain} from "../src/interfaces/IMedchain.sol";
import {Fixture} from "./utils/Fixture.sol";

contract RecordsTest is Fixture {
    bytes32 internal constant RECORD = keccak256("record-1");
    bytes32 internal constant DIGEST = keccak256("ciphertext v1");
    bytes32 internal constant CONTENT = keccak256("content-1");

    function test_PatientAddsARecordCommittedToItsHead() public {
        vm.prank(patient);
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        assertEq(medchain.recordHeads(RECORD), medchain.versionHash(firstVersion(patient, patient, DIGEST, CONTENT)),
                 "head commits to version 1");
    }

    function test_GuardianAndAppendingDoctorAddRecords() public {
        vm.prank(guardian);
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, 0, APPEND, uint64(START + 1 days));
        vm.prank(doctor);
        medchain.addRecord(patient, keccak256("record-2"), DIGEST, NODE, CONTENT);
        assertTrue(medchain.recordHeads(keccak256("record-2")) != bytes32(0), "doctor's record stored");
    }

    function test_WritersAreCheckedAndRecordsAreNeverOverwritten() public {
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotAllowedToWrite.selector, doctor, patient));
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START + 1 days));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotAllowedToWrite.selector, doctor, patient));
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        vm.startPrank(patient);
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.RecordExists.selector, RECORD));
        medchain.addRecord(patient, RECORD, keccak256("other"), NODE, CONTENT);
        vm.expectRevert(IMedchain.InvalidRecord.selector);
        medchain.addRecord(patient, bytes32(0), DIGEST, NODE, CONTENT);
        vm.expectRevert(IMedchain.InvalidRecord.selector);
        medchain.addRecord(patient, keccak256("r"), bytes32(0), NODE, CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.UnknownStorageNode.selector, keccak256("nowhere")));
        medchain.addRecord(patient, keccak256("r"), DIGEST, keccak256("nowhere"), CONTENT);
        vm.stopPrank();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger));
        medchain.addRecord(stranger, keccak256("r"), DIGEST, NODE, CONTENT);
    }

    function test_UpdatesAppendVersionsLinkedToThePreviousDigest() public {
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, 0, APPEND, uint64(START + 1 days));
        vm.prank(doctor);
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        IMedchain.RecordVersion memory v1 = firstVersion(patient, doctor, DIGEST, CONTENT);
        bytes32 head1 = medchain.recordHeads(RECORD);
        vm.prank(doctor);
        medchain.updateRecord(RECORD, v1, keccak256("ciphertext v2"), NODE, keccak256("content-2"));
        IMedchain.RecordVersion memory v2 =
            IMedchain.RecordVersion(patient, doctor, 2, keccak256("ciphertext v2"), NODE, keccak256("content-2"), head1);
        assertEq(medchain.recordHeads(RECORD), medchain.versionHash(v2), "head commits to v2 and v1");
        // The patient may update a record a doctor wrote; the author stays the doctor.
        vm.prank(patient);
        medchain.updateRecord(RECORD, v2, keccak256("ciphertext v3"), NODE, keccak256("content-3"));
        // A stale version (v1 again) cannot be built on: history cannot fork.
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.StaleRecordVersion.selector, RECORD));
        medchain.updateRecord(RECORD, v1, keccak256("fork"), NODE, CONTENT);
    }

    function test_UpdateRulesAuthorshipAndPermission() public {
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, 0, APPEND, uint64(START + 1 days));
        vm.prank(patient);
        medchain.grantAccess(patient, doctor2, 0, APPEND, uint64(START + 1 days));
        vm.prank(doctor);
        medchain.addRecord(patient, RECORD, DIGEST, NODE, CONTENT);
        IMedchain.RecordVersion memory v1 = firstVersion(patient, doctor, DIGEST, CONTENT);
        vm.prank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotAllowedToWrite.selector, doctor2, patient));
        medchain.updateRecord(RECORD, v1, keccak256("x"), NODE, CONTENT);
        vm.prank(patient);
        medchain.revokeAccess(patient, doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotAllowedToWrite.selector, doctor, patient));
        medchain.updateRecord(RECORD, v1, keccak256("x"), NODE, CONTENT);
        vm.startPrank(patient);
        vm.expectRevert(IMedchain.InvalidRecord.selector);
        medchain.updateRecord(RECORD, v1, bytes32(0), NODE, CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.UnknownStorageNode.selector, bytes32(0)));
        medchain.updateRecord(RECORD, v1, keccak256("x"), bytes32(0), CONTENT);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.StaleRecordVersion.selector, keccak256("none")));
        medchain.updateRecord(keccak256("none"), v1, keccak256("x"), NODE, CONTENT);
        vm.stopPrank();
    }
}
